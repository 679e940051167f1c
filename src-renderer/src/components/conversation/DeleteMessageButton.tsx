// Organise: delete one message, after a confirm that says what goes with it (deleting a question
// deletes its answers and everything after it, in every version).
import { useState } from 'react';
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

export function deleteWarning(role: Message['role'], hasLater: boolean): string {
  if (role === 'user') return 'This deletes your message, its answers and everything after it, in every version of this conversation.';
  return hasLater
    ? 'This deletes the answer and everything after it, in every version of this conversation.'
    : 'This deletes the answer. Other versions of it, if any, stay.';
}

export function DeleteMessageButton({ message, hasLater, busy, onDelete }: DeleteMessageButtonProps) {
  const [asking, setAsking] = useState(false);
  const what = message.role === 'user' ? 'message' : 'answer';
  return (
    <>
      <button type="button" className="icon-btn" aria-label={`Delete this ${what}`} title="Delete" disabled={busy} onClick={() => setAsking(true)}>
        <Icon name="trash" size={15} />
      </button>
      {asking && (
        <Modal
          title={`Delete this ${what}?`}
          description={deleteWarning(message.role, hasLater)}
          onClose={() => setAsking(false)}
          footer={
            <>
              <button type="button" className="btn btn--ghost" onClick={() => setAsking(false)}>
                Cancel
              </button>
              <button
                type="button"
                className="btn btn--danger"
                onClick={() => {
                  setAsking(false);
                  onDelete(message.id);
                }}
              >
                Delete
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
