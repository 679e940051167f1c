// One message row: a user bubble (editable) or an answer (markdown, facts, waiting state, error).
import { memo, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Message } from '../../../../src-shared/ipc/contract';
import { useCopy } from '../../hooks/useCopy';
import type { InFlight } from '../../stores/chat';
import { AnswerMeta } from './AnswerMeta';
import { Icon } from '../ui/Icon';
import { Markdown } from '../markdown/Markdown';
import { Waiting } from './Waiting';

export interface MessageItemProps {
  message: Message;
  /** The in-flight state when this is the pending answer. */
  flight?: InFlight;
  isLastAnswer: boolean;
  busy: boolean;
  highlighted?: boolean;
  onEdit(messageId: string, content: string): Promise<boolean>;
  onRegenerate(): void;
  onRetry(): void;
}

export const MessageItem = memo(function MessageItem(props: MessageItemProps) {
  const { message } = props;
  return message.role === 'user' ? <UserMessage {...props} /> : <AssistantMessage {...props} />;
});

function UserMessage({ message, busy, highlighted, onEdit }: MessageItemProps) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(message.content);
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (editing) area.current?.focus();
  }, [editing]);

  const save = async () => {
    if (!draft.trim()) return;
    if (await onEdit(message.id, draft)) setEditing(false);
  };
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void save();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      setEditing(false);
      setDraft(message.content);
    }
  };

  return (
    <article className={`msg msg--user${highlighted ? ' msg--highlight' : ''}`} aria-label="Your message" data-message-id={message.id}>
      {editing ? (
        <div className="msg__edit">
          <label className="visually-hidden" htmlFor={`edit-${message.id}`}>
            Edit your message
          </label>
          <textarea id={`edit-${message.id}`} ref={area} value={draft} rows={Math.min(10, draft.split('\n').length + 1)} onChange={(e) => setDraft(e.target.value)} onKeyDown={onKey} />
          <div className="msg__edit-actions">
            <span className="hint">Sending again replaces everything after this message.</span>
            <button type="button" className="btn btn--ghost" onClick={() => (setEditing(false), setDraft(message.content))}>
              Cancel
            </button>
            <button type="button" className="btn btn--primary" onClick={() => void save()} disabled={busy || !draft.trim()}>
              Save and resend
            </button>
          </div>
        </div>
      ) : (
        <>
          <div className="msg__bubble">
            <p className="msg__text">{message.content}</p>
          </div>
          <div className="msg__actions">
            <CopyButton text={message.content} />
            <button
              type="button"
              className="icon-btn"
              aria-label="Edit this message and resend"
              title="Edit and resend"
              disabled={busy}
              onClick={() => (setDraft(message.content), setEditing(true))}
            >
              <Icon name="edit" size={15} />
            </button>
          </div>
        </>
      )}
    </article>
  );
}

function AssistantMessage({ message, flight, isLastAnswer, busy, highlighted, onRegenerate, onRetry }: MessageItemProps) {
  const pending = message.status === 'pending';
  return (
    <article
      className={`msg msg--assistant msg--${message.status}${highlighted ? ' msg--highlight' : ''}`}
      aria-label={pending ? 'Answer on its way' : 'Answer'}
      aria-busy={pending}
      data-message-id={message.id}
    >
      <div className="msg__avatar" aria-hidden="true">
        <Icon name="chip" size={16} />
      </div>
      <div className="msg__body">
        {pending && flight && <Waiting flight={flight} />}
        {pending && !flight && <p className="msg__muted">Waiting for the answer…</p>}
        {message.content && <Markdown text={message.content} />}
        {message.status === 'stopped' && <p className="msg__muted">Stopped before the answer was finished.</p>}
        {message.status === 'error' && (
          <div className="msg__error" role="alert">
            <Icon name="warning" size={16} />
            <div>
              <p>{message.error?.message ?? 'The answer could not be delivered.'}</p>
              {isLastAnswer && (
                <button type="button" className="btn btn--small" onClick={onRetry} disabled={busy}>
                  <Icon name="refresh" size={14} /> Retry
                </button>
              )}
            </div>
          </div>
        )}
        {message.meta && message.status === 'complete' && <AnswerMeta meta={message.meta} />}
        {!pending && message.status !== 'error' && (
          <div className="msg__actions msg__actions--answer">
            {message.content && <CopyButton text={message.content} />}
            {isLastAnswer && (
              <button type="button" className="icon-btn" aria-label="Regenerate this answer" title="Regenerate" disabled={busy} onClick={onRegenerate}>
                <Icon name="refresh" size={15} />
              </button>
            )}
          </div>
        )}
      </div>
    </article>
  );
}

function CopyButton({ text }: { text: string }) {
  const { copied, copy } = useCopy();
  return (
    <button type="button" className="icon-btn" aria-label={copied ? 'Copied' : 'Copy message'} title="Copy" onClick={() => void copy(text)}>
      <Icon name={copied ? 'check' : 'copy'} size={15} />
    </button>
  );
}
