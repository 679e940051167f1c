// One conversation in the list: open it, rename it in place (F2), delete it (Del, with undo), pin
// it to the top, move it to a folder (drag it, or "Move to folder…" from the keyboard).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConversationSummary } from '../../../../src-shared/ipc/contract';
import { useInlineRename } from '../../hooks/useInlineEdit';
import { relativeTime } from '../../lib/text';
import { useChat } from '../../stores/chat';
import { useConversations } from '../../stores/conversations';
import { useWorkspace } from '../../stores/workspace';
import { Icon } from '../ui/Icon';
import { startConversationDrag } from './drag';
import { itemKeys } from './list-keys';
import { MoveToFolderDialog } from './MoveToFolderDialog';
import { NameField } from './NameField';

export function ConversationItem({ summary, active, position, pinned = false }: { summary: ConversationSummary; active: boolean; position: number; pinned?: boolean }) {
  const { t } = useTranslation('workspace');
  const setPinned = useWorkspace((s) => s.setPinned);
  const [moving, setMoving] = useState(false);
  const open = useConversations((s) => s.open);
  const rename = useConversations((s) => s.rename);
  const remove = useConversations((s) => s.remove);
  const busy = useChat((s) => Boolean(s.inFlight[summary.id]));
  const { editing, draft: title, setDraft: setTitle, field, begin, finish } = useInlineRename(summary.title, (title) => rename(summary.id, title));

  const hint = position < 9 ? t('sidebar:item.shortcut', { title: summary.title, key: position + 1 }) : summary.title;
  return (
    <li className={`conv-item${active ? ' conv-item--active' : ''}`} draggable={!editing} onDragStart={(e) => startConversationDrag(e, summary.id)}>
      {editing ? (
        <NameField field={field} label={t('sidebar:item.renameField')} value={title} maxLength={200} onChange={setTitle} onDone={finish} />
      ) : (
        <button
          type="button"
          className="conv-item__main"
          aria-current={active ? 'page' : undefined}
          onClick={() => void open(summary.id)}
          onKeyDown={(e) => itemKeys(e, { rename: begin, remove: () => void remove(summary.id) })}
          title={hint}
        >
          <span className="conv-item__title">
            {/* Decorative: pinned chats are listed under the "Pinned" heading. */}
            {pinned && (
              <span className="conv-item__pin">
                <Icon name="pin" size={12} />
              </span>
            )}
            {summary.title}
          </span>
          <span className="conv-item__sub">
            {busy ? <span className="conv-item__busy">{t('sidebar:item.answering')}</span> : relativeTime(summary.updatedAt)}
            {' · '}
            {t('sidebar:item.messages', { count: summary.messageCount })}
          </span>
        </button>
      )}
      {!editing && (
        <div className="conv-item__actions">
          <button
            type="button"
            className="icon-btn"
            aria-pressed={pinned}
            aria-label={pinned ? t('chat.unpin', { title: summary.title }) : t('chat.pin', { title: summary.title })}
            title={pinned ? t('chat.unpinTitle') : t('chat.pinTitle')}
            onClick={() => void setPinned(summary.id, !pinned)}
          >
            <Icon name="pin" size={14} />
          </button>
          <button type="button" className="icon-btn" aria-label={t('chat.move', { title: summary.title })} title={t('chat.moveTitle')} onClick={() => setMoving(true)}>
            <Icon name="folder" size={14} />
          </button>
          <button type="button" className="icon-btn" aria-label={t('sidebar:item.rename', { title: summary.title })} title={t('sidebar:item.renameTitle')} onClick={begin}>
            <Icon name="edit" size={14} />
          </button>
          <button type="button" className="icon-btn" aria-label={t('sidebar:item.delete', { title: summary.title })} title={t('sidebar:item.deleteTitle')} onClick={() => void remove(summary.id)}>
            <Icon name="trash" size={14} />
          </button>
        </div>
      )}
      {moving && <MoveToFolderDialog summary={summary} onClose={() => setMoving(false)} />}
    </li>
  );
}
