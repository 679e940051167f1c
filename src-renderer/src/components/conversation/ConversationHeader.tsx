// The conversation's header: its title and lock badge, the model and context size pickers, and
// the system prompt button, and the model parameters (Steer).
import { useTranslation } from 'react-i18next';
import { useMemo } from 'react';
import type { Conversation } from '../../../../src-shared/ipc/contract';
import { tierLabel } from '../../lib/labels';
import { useConversations } from '../../stores/conversations';
import { useServers } from '../../stores/servers';
import { useUi } from '../../stores/ui';
import { Icon } from '../ui/Icon';
import { SteerButton } from '../steer/SteerButton';
import { ExportChatButton } from './ExportChatButton';

export function ConversationHeader({ conversation }: { conversation: Conversation }) {
  const { t } = useTranslation('chat');
  const choice = useServers((s) => s.choice);
  const update = useConversations((s) => s.update);
  const openDialog = useUi((s) => s.openDialog);
  const answers = useMemo(() => conversation.messages.filter((m) => m.meta), [conversation.messages]);
  const compat = answers.some((m) => m.meta?.encryption.symmetric === 'AES-256-CBC');
  const keyChanged = answers.some((m) => m.meta?.nodeKeyChanged);
  const models = choice.models.includes(conversation.model ?? '') || !conversation.model ? choice.models : [conversation.model, ...choice.models];

  const lockTitle = t(keyChanged ? 'header.lockKeyChanged' : compat ? 'header.lockCompat' : 'header.lock');

  return (
    <header className="conversation__header">
      <div className="conversation__title">
        <h1>{conversation.title}</h1>
        <span className={`lock-badge${keyChanged ? ' lock-badge--warn' : ''}`} title={lockTitle} aria-label={lockTitle} role="img">
          <Icon name={keyChanged ? 'warning' : 'lock'} size={13} />
          <span aria-hidden="true">{t(keyChanged ? 'header.badgeKeyChanged' : compat ? 'header.badgeCompat' : 'header.badge')}</span>
        </span>
      </div>
      <div className="conversation__controls">
        <label className="select-field">
          <span className="visually-hidden">{t('header.model')}</span>
          <select
            aria-label={t('header.model')}
            value={conversation.model ?? ''}
            onChange={(e) => void update({ model: e.target.value })}
          >
            <option value="">{models.length ? t('header.defaultModel') : t('header.noModels')}</option>
            {models.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label className="select-field">
          <span className="visually-hidden">{t('header.context')}</span>
          <select
            aria-label={t('header.context')}
            value={conversation.contextTier ?? ''}
            onChange={(e) => e.target.value && void update({ contextTier: e.target.value as Conversation['contextTier'] })}
          >
            <option value="">{t('header.defaultContext')}</option>
            {choice.contextTiers.map((tier) => (
              <option key={tier} value={tier}>
                {tierLabel(tier)}
              </option>
            ))}
            {conversation.contextTier && !choice.contextTiers.includes(conversation.contextTier) && (
              <option value={conversation.contextTier}>{t('header.tierUnavailable', { tier: tierLabel(conversation.contextTier) })}</option>
            )}
          </select>
        </label>
        <button
          type="button"
          className={`btn btn--ghost${conversation.systemPrompt ? ' btn--on' : ''}`}
          onClick={() => openDialog('system-prompt')}
          aria-label={conversation.systemPrompt ? t('header.promptEdit') : t('header.promptSet')}
          title={t('header.promptTitle')}
        >
          <Icon name="prompt" size={15} />
          <span>{t('header.prompt')}</span>
        </button>
        <SteerButton conversation={conversation} />
        <ExportChatButton />
      </div>
    </header>
  );
}
