// One conversation in the list: open it, rename it in place (F2), delete it (Del, with undo).
import type { ConversationSummary } from '../../../../src-shared/ipc/contract';
import { useInlineEdit } from '../../hooks/useInlineEdit';
import { plural, relativeTime } from '../../lib/text';
import { useChat } from '../../stores/chat';
import { useConversations } from '../../stores/conversations';
import { Icon } from '../ui/Icon';
import { listArrows } from './list-keys';

export function ConversationItem({ summary, active, position }: { summary: ConversationSummary; active: boolean; position: number }) {
  const open = useConversations((s) => s.open);
  const rename = useConversations((s) => s.rename);
  const remove = useConversations((s) => s.remove);
  const busy = useChat((s) => Boolean(s.inFlight[summary.id]));
  const { editing, draft: title, setDraft: setTitle, field, begin, cancel, close } = useInlineEdit<HTMLInputElement>(summary.title, 'select');

  const finish = async (save: boolean) => {
    if (!save || !title.trim() || title.trim() === summary.title) return cancel();
    close();
    await rename(summary.id, title);
  };

  const hint = position < 9 ? ` (Ctrl+${position + 1})` : '';
  return (
    <li className={`conv-item${active ? ' conv-item--active' : ''}`}>
      {editing ? (
        <input
          ref={field}
          className="conv-item__rename"
          aria-label="New name for the conversation"
          value={title}
          maxLength={200}
          onChange={(e) => setTitle(e.target.value)}
          onBlur={() => void finish(true)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void finish(true);
            if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              void finish(false);
            }
          }}
        />
      ) : (
        <button
          type="button"
          className="conv-item__main"
          aria-current={active ? 'page' : undefined}
          onClick={() => void open(summary.id)}
          onKeyDown={(e) => {
            if (e.key === 'F2') begin();
            else if (e.key === 'Delete') void remove(summary.id);
            else listArrows(e);
          }}
          title={`${summary.title}${hint}`}
        >
          <span className="conv-item__title">{summary.title}</span>
          <span className="conv-item__sub">
            {busy ? <span className="conv-item__busy">answering…</span> : relativeTime(summary.updatedAt)}
            {' · '}
            {plural(summary.messageCount, 'message')}
          </span>
        </button>
      )}
      {!editing && (
        <div className="conv-item__actions">
          <button type="button" className="icon-btn" aria-label={`Rename ${summary.title}`} title="Rename (F2)" onClick={begin}>
            <Icon name="edit" size={14} />
          </button>
          <button type="button" className="icon-btn" aria-label={`Delete ${summary.title}`} title="Delete (Del)" onClick={() => void remove(summary.id)}>
            <Icon name="trash" size={14} />
          </button>
        </div>
      )}
    </li>
  );
}
