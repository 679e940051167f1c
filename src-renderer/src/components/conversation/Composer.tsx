// The message box: Enter sends, Shift+Enter adds a line; Stop while an answer is on its way;
// Attach (or a drop onto it) adds files to the message (components/attachments).
import { useEffect, useId, useRef, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AttachmentInput } from '../../../../src-shared/read/attachments';
import { useDraft } from '../../hooks/useDraft';
import { AttachButton, AttachmentTray } from '../attachments/AttachmentTray';
import { useComposerAttachments } from '../attachments/useComposerAttachments';
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
  /** `attachments` (Read): the files read for this message. */
  onSend(text: string, attachments?: AttachmentInput[]): Promise<boolean>;
  onStop(): void;
  onRegenerate(): void;
}

export function Composer(props: ComposerProps) {
  const { t } = useTranslation('chat');
  const { conversationId, blockedReason, inFlight } = props;
  // The text is the conversation's draft: kept encrypted by main across chats and restarts.
  const [text, setText] = useDraft(conversationId);
  const area = useRef<HTMLTextAreaElement>(null);
  const reasonId = useId();
  const failureId = useId();
  const fitId = useId();
  const files = useComposerAttachments(conversationId, text);

  useEffect(() => {
    area.current?.focus();
  }, [props.focusSeq, conversationId]);

  const canSend = !blockedReason && !inFlight && (text.trim().length > 0 || files.ready.length > 0) && !files.blocking;

  const send = async (e?: FormEvent) => {
    e?.preventDefault();
    if (!canSend) return;
    const sent = text;
    setText('');
    const attached = files.ready.length > 0 ? files.ready : undefined;
    if (!(await props.onSend(sent, attached))) setText(sent);
    else if (files.list.length > 0) files.clear();
  };

  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  };

  const describedBy = [blockedReason ? reasonId : '', props.failure ? failureId : '', files.fit ? fitId : ''].filter(Boolean).join(' ') || undefined;

  return (
    <form className={`composer${files.dragging ? ' composer--drop' : ''}`} onSubmit={(e) => void send(e)} aria-label={t('composer.form')} {...files.dropProps}>
      {blockedReason && (
        <p className="composer__reason" id={reasonId} role="status">
          <Icon name="warning" size={15} />
          {blockedReason}
        </p>
      )}
      {props.failure && !blockedReason && (
        <p className="composer__failure" id={failureId} role="alert">
          <Icon name="warning" size={15} />
          {t('composer.notSent', { reason: props.failure })}
        </p>
      )}
      <AttachmentTray list={files.list} fit={files.fit} fitId={fitId} dragging={files.dragging} onRemove={files.remove} />
      <div className={`composer__box${blockedReason ? ' composer__box--blocked' : ''}`}>
        <label htmlFor="composer-input" className="visually-hidden">
          {t('composer.label')}
        </label>
        <textarea
          id="composer-input"
          ref={area}
          value={text}
          rows={1}
          placeholder={blockedReason ? t('composer.placeholderBlocked') : t('composer.placeholder')}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKey}
          aria-describedby={describedBy}
          aria-disabled={Boolean(blockedReason)}
        />
        <div className="composer__buttons">
          <AttachButton disabled={Boolean(blockedReason)} onFiles={files.addFiles} />
          {props.canRegenerate && !inFlight && (
            <button type="button" className="btn btn--ghost" onClick={props.onRegenerate} disabled={Boolean(blockedReason)} title={t('composer.regenerateTitle')}>
              <Icon name="refresh" size={15} />
              <span>{t('answer.regenerate')}</span>
            </button>
          )}
          {inFlight ? (
            <button type="button" className="btn btn--danger" onClick={props.onStop} disabled={props.stopping} title={t('composer.stopTitle')}>
              <Icon name="stop" size={15} />
              <span>{props.stopping ? t('answer.stopping') : t('composer.stop')}</span>
            </button>
          ) : (
            <button type="submit" className="btn btn--primary" disabled={!canSend} aria-label={t('composer.sendLabel')} title={t('composer.sendTitle')}>
              <Icon name="send" size={15} />
              <span>{t('composer.send')}</span>
            </button>
          )}
        </div>
      </div>
    </form>
  );
}
