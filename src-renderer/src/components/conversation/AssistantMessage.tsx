// An answer: its waiting state while pending, its text as it streams in (§11.7), the Markdown,
// how it was delivered, or its error with Retry; Copy and Regenerate on the last answer, and Continue when it was cut (§2.3.5).
// A leading <think> block is shown collapsed (ReasoningBlock, §2.3.6); Copy takes the answer without it.
import { useTranslation } from 'react-i18next';
import { answerWithoutReasoning } from '../../../../src-shared/read/reasoning';
import { AnswerText } from '../markdown/ReasoningBlock';
import { Icon } from '../ui/Icon';
import { AnswerMeta } from './AnswerMeta';
import { CopyMessageButton } from './CopyMessageButton';
import { DeleteMessageButton } from './DeleteMessageButton';
import type { MessageItemProps } from './MessageItem';
import { VersionSwitcher } from './VersionSwitcher';
import { Waiting } from './Waiting';
import { ContinueButton } from '../steer/ContinueButton';

export function AssistantMessage({ message, flight, isLastAnswer, busy, highlighted, onRegenerate, onRetry, versions, hasLater, onShowVersion, onDelete }: MessageItemProps) {
  const { t } = useTranslation('chat');
  const pending = message.status === 'pending';
  return (
    <article
      className={`msg msg--assistant msg--${message.status}${highlighted ? ' msg--highlight' : ''}`}
      aria-label={pending ? t('answer.pending') : t('answer.label')}
      aria-busy={pending}
      data-message-id={message.id}
    >
      <div className="msg__avatar" aria-hidden="true">
        <Icon name="chip" size={16} />
      </div>
      <div className="msg__body">
        {pending && flight?.text ? (
          <>
            <AnswerText text={flight.text} streaming />
            <p className="msg__muted msg__writing">{flight.stopping ? t('answer.stopping') : t('answer.writing')}</p>
          </>
        ) : (
          <>
            {pending && flight && <Waiting flight={flight} />}
            {pending && !flight && <p className="msg__muted">{t('answer.waiting')}</p>}
          </>
        )}
        {!pending && message.content && <AnswerText text={message.content} />}
        {message.status === 'stopped' && <p className="msg__muted">{t('answer.stopped')}</p>}
        {message.status === 'error' && (
          <div className="msg__error" role="alert">
            <Icon name="warning" size={16} />
            <div>
              <p>{message.error?.message ?? t('answer.failed')}</p>
              {isLastAnswer && (
                <button type="button" className="btn btn--small" onClick={onRetry} disabled={busy}>
                  <Icon name="refresh" size={14} /> {t('answer.retry')}
                </button>
              )}
            </div>
          </div>
        )}
        {message.meta && message.status === 'complete' && <AnswerMeta meta={message.meta} />}
        {!pending && (
          <div className="msg__actions msg__actions--answer">
            {onShowVersion && <VersionSwitcher messageId={message.id} versions={versions} busy={busy} onShowVersion={onShowVersion} />}
            {message.status !== 'error' && message.content && <CopyMessageButton text={answerWithoutReasoning(message.content)} />}
            {isLastAnswer && message.status !== 'error' && (
              <button type="button" className="icon-btn" aria-label={t('answer.regenerateLabel')} title={t('answer.regenerate')} disabled={busy} onClick={onRegenerate}>
                <Icon name="refresh" size={15} />
              </button>
            )}
            {isLastAnswer && <ContinueButton message={message} busy={busy} />}
            {onDelete && <DeleteMessageButton message={message} hasLater={Boolean(hasLater)} busy={busy} onDelete={onDelete} />}
          </div>
        )}
      </div>
    </article>
  );
}
