// The message box: Enter sends, Shift+Enter adds a line; Stop while an answer is on its way.
import { useEffect, useId, useRef, type FormEvent, type KeyboardEvent } from 'react';
import { useDraft } from '../../hooks/useDraft';
import { Icon } from '../ui/Icon';

export interface ComposerProps {
  conversationId: string;
  /** Why sending is impossible right now (no server, no node); undefined when it is possible. */
  blockedReason?: string;
  inFlight: boolean;
  stopping?: boolean;
  canRegenerate: boolean;
  failure?: string;
  focusSeq: number;
  onSend(text: string): Promise<boolean>;
  onStop(): void;
  onRegenerate(): void;
}

export function Composer(props: ComposerProps) {
  const { conversationId, blockedReason, inFlight } = props;
  // The text is the conversation's draft: kept encrypted by main across chats and restarts.
  const [text, setText] = useDraft(conversationId);
  const area = useRef<HTMLTextAreaElement>(null);
  const reasonId = useId();
  const failureId = useId();

  useEffect(() => {
    area.current?.focus();
  }, [props.focusSeq, conversationId]);

  const canSend = !blockedReason && !inFlight && text.trim().length > 0;

  const send = async (e?: FormEvent) => {
    e?.preventDefault();
    if (!canSend) return;
    const sent = text;
    setText('');
    if (!(await props.onSend(sent))) setText(sent);
  };

  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  };

  const describedBy = [blockedReason ? reasonId : '', props.failure ? failureId : ''].filter(Boolean).join(' ') || undefined;

  return (
    <form className="composer" onSubmit={(e) => void send(e)} aria-label="Write a message">
      {blockedReason && (
        <p className="composer__reason" id={reasonId} role="status">
          <Icon name="warning" size={15} />
          {blockedReason}
        </p>
      )}
      {props.failure && !blockedReason && (
        <p className="composer__failure" id={failureId} role="alert">
          <Icon name="warning" size={15} />
          Not sent: {props.failure}
        </p>
      )}
      <div className={`composer__box${blockedReason ? ' composer__box--blocked' : ''}`}>
        <label htmlFor="composer-input" className="visually-hidden">
          Message
        </label>
        <textarea
          id="composer-input"
          ref={area}
          value={text}
          rows={1}
          placeholder={blockedReason ? 'Sending is unavailable right now' : 'Message (Enter to send, Shift+Enter for a new line)'}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKey}
          aria-describedby={describedBy}
          aria-disabled={Boolean(blockedReason)}
        />
        <div className="composer__buttons">
          {props.canRegenerate && !inFlight && (
            <button type="button" className="btn btn--ghost" onClick={props.onRegenerate} disabled={Boolean(blockedReason)} title="Regenerate (Ctrl+R)">
              <Icon name="refresh" size={15} />
              <span>Regenerate</span>
            </button>
          )}
          {inFlight ? (
            <button type="button" className="btn btn--danger" onClick={props.onStop} disabled={props.stopping} title="Stop (Esc)">
              <Icon name="stop" size={15} />
              <span>{props.stopping ? 'Stopping…' : 'Stop'}</span>
            </button>
          ) : (
            <button type="submit" className="btn btn--primary" disabled={!canSend} aria-label="Send message" title="Send (Enter)">
              <Icon name="send" size={15} />
              <span>Send</span>
            </button>
          )}
        </div>
      </div>
    </form>
  );
}
