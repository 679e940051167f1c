// Organise: delete one message, after a confirm that says what goes with it (deleting a question
// deletes its answers and everything after it, in every version).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../../../src-shared/ipc/contract';
import { Icon } from '../ui/Icon';
import { Modal } from '../ui/Modal';

export interface DeleteMessageButtonProps {
  message: Message;
  /** Whether messages follow this one on the path shown. */
  hasLater: boolean;
  busy: boolean;
  onDelete(messageId: string): void;
}

/** The key of what the confirm says goes with the message. */
function warningKey(role: Message['role'], hasLater: boolean): string {
  if (role === 'user') return 'delete.warningUser';
  return hasLater ? 'delete.warningAnswerWithLater' : 'delete.warningAnswer';
}

export function DeleteMessageButton({ message, hasLater, busy, onDelete }: DeleteMessageButtonProps) {
  const { t } = useTranslation('organise');
  const [asking, setAsking] = useState(false);
  const user = message.role === 'user';
  return (
    <>
      <button type="button" className="icon-btn" aria-label={t(user ? 'delete.message' : 'delete.answer')} title={t('delete.tooltip')} disabled={busy} onClick={() => setAsking(true)}>
        <Icon name="trash" size={15} />
      </button>
      {asking && (
        <Modal
          title={t(user ? 'delete.titleMessage' : 'delete.titleAnswer')}
          description={t(warningKey(message.role, hasLater))}
          onClose={() => setAsking(false)}
          footer={
            <>
              <button type="button" className="btn btn--ghost" onClick={() => setAsking(false)}>
                {t('delete.cancel')}
              </button>
              <button
                type="button"
                className="btn btn--danger"
                onClick={() => {
                  setAsking(false);
                  onDelete(message.id);
                }}
              >
                {t('delete.confirm')}
              </button>
            </>
          }
        >
          <p className="msg__muted">{message.content.length > 160 ? `${message.content.slice(0, 157)}…` : message.content}</p>
        </Modal>
      )}
    </>
  );
}
