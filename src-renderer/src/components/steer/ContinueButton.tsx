// "Continue" on the last answer when it stopped at its output limit or was stopped (§2.3.5): the
// node writes on, and the rest is added to this same answer.
import { useTranslation } from 'react-i18next';
import type { Message } from '../../../../src-shared/ipc/contract';
import { canContinue } from '../../../../src-shared/vocabulary/steer';
import { useChat } from '../../stores/chat';
import { useConversations } from '../../stores/conversations';
import { Icon } from '../ui/Icon';

export function ContinueButton({ message, busy }: { message: Message; busy: boolean }) {
  const { t } = useTranslation('steer');
  const conversationId = useConversations((s) => s.activeId);
  const continueAnswer = useChat((s) => s.continueAnswer);
  if (!conversationId || !canContinue(message)) return null;
  // The answer's facts already say it stopped at the output limit (AnswerMeta).
  return (
    <button type="button" className="btn btn--small" disabled={busy} onClick={() => void continueAnswer(conversationId, message)} title={t('continue.title')}>
      <Icon name="send" size={14} /> {t('continue.button')}
    </button>
  );
}
