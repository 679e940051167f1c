// The user's message: its bubble with Copy, Edit and Delete; editing asks again as a new version
// of it (Organise: the old one and what followed it stay, behind ‹ ›).
import type { KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { typedTextOf } from '../../../../src-shared/read/attachments';
import { useInlineEdit } from '../../hooks/useInlineEdit';
import { SentAttachments } from '../attachments/AttachmentChip';
import { Icon } from '../ui/Icon';
import { CopyMessageButton } from './CopyMessageButton';
import { DeleteMessageButton } from './DeleteMessageButton';
import type { MessageItemProps } from './MessageItem';
import { VersionSwitcher } from './VersionSwitcher';

export function UserMessage({ message, busy, highlighted, onEdit, versions, hasLater, onShowVersion, onDelete }: MessageItemProps) {
  const { t } = useTranslation(['chat', 'organise']);
  // Read: a message with files shows their chips and its typed text; an edit changes only the text (§2.3.7).
  const typed = typedTextOf(message.content, message.attachments);
  const { editing, draft, setDraft, field, begin, cancel, close } = useInlineEdit<HTMLTextAreaElement>(typed, 'focus');

  const save = async () => {
    if (!draft.trim()) return;
    if (await onEdit(message.id, draft)) close();
  };
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void save();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      cancel();
    }
  };

  return (
    <article className={`msg msg--user${highlighted ? ' msg--highlight' : ''}`} aria-label={t('user.label')} data-message-id={message.id}>
      {editing ? (
        <div className="msg__edit">
          <label className="visually-hidden" htmlFor={`edit-${message.id}`}>
            {t('user.editLabel')}
          </label>
          <textarea id={`edit-${message.id}`} ref={field} value={draft} rows={Math.min(10, draft.split('\n').length + 1)} onChange={(e) => setDraft(e.target.value)} onKeyDown={onKey} />
          <div className="msg__edit-actions">
            <span className="hint">{t('organise:edit.hint')}</span>
            <button type="button" className="btn btn--ghost" onClick={cancel}>
              {t('common:cancel')}
            </button>
            <button type="button" className="btn btn--primary" onClick={() => void save()} disabled={busy || !draft.trim()}>
              {t('user.resend')}
            </button>
          </div>
        </div>
      ) : (
        <>
          <div className="msg__bubble">
            {message.attachments && message.attachments.length > 0 && <SentAttachments attachments={message.attachments} />}
            {typed && <p className="msg__text">{typed}</p>}
          </div>
          <div className="msg__actions">
            {onShowVersion && <VersionSwitcher messageId={message.id} versions={versions} busy={busy} onShowVersion={onShowVersion} />}
            <CopyMessageButton text={typed || message.content} />
            <button
              type="button"
              className="icon-btn"
              aria-label={t('user.editButton')}
              title={t('user.editTitle')}
              disabled={busy}
              onClick={begin}
            >
              <Icon name="edit" size={15} />
            </button>
            {onDelete && <DeleteMessageButton message={message} hasLater={Boolean(hasLater)} busy={busy} onDelete={onDelete} />}
          </div>
        </>
      )}
    </article>
  );
}
