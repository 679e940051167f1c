// The conversation's header: its title and lock badge, the model and context size pickers, and
// the system prompt button.
import { useMemo } from 'react';
import type { Conversation } from '../../../../src-shared/ipc/contract';
import { TIER_LABEL } from '../../lib/labels';
import { useConversations } from '../../stores/conversations';
import { useServers } from '../../stores/servers';
import { useUi } from '../../stores/ui';
import { Icon } from '../ui/Icon';

export function ConversationHeader({ conversation }: { conversation: Conversation }) {
  const choice = useServers((s) => s.choice);
  const update = useConversations((s) => s.update);
  const openDialog = useUi((s) => s.openDialog);
  const answers = useMemo(() => conversation.messages.filter((m) => m.meta), [conversation.messages]);
  const compat = answers.some((m) => m.meta?.encryption.symmetric === 'AES-256-CBC');
  const keyChanged = answers.some((m) => m.meta?.nodeKeyChanged);
  const models = choice.models.includes(conversation.model ?? '') || !conversation.model ? choice.models : [conversation.model, ...choice.models];

  const lockTitle = keyChanged
    ? 'End-to-end encrypted, but a node key changed in this conversation. See the warning under the answer.'
    : compat
      ? 'End-to-end encrypted. Some answers used reference-cbc, the token.place compatibility mode, which does not prove who wrote them.'
      : 'End-to-end encrypted: only you and the answering node can read these messages.';

  return (
    <header className="conversation__header">
      <div className="conversation__title">
        <h1>{conversation.title}</h1>
        <span className={`lock-badge${keyChanged ? ' lock-badge--warn' : ''}`} title={lockTitle} aria-label={lockTitle} role="img">
          <Icon name={keyChanged ? 'warning' : 'lock'} size={13} />
          <span aria-hidden="true">{keyChanged ? 'Key changed' : compat ? 'Encrypted · compat' : 'Encrypted'}</span>
        </span>
      </div>
      <div className="conversation__controls">
        <label className="select-field">
          <span className="visually-hidden">Model</span>
          <select
            aria-label="Model"
            value={conversation.model ?? ''}
            onChange={(e) => void update({ model: e.target.value })}
          >
            <option value="">{models.length ? 'Server’s default model' : 'No models listed'}</option>
            {models.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label className="select-field">
          <span className="visually-hidden">Context size</span>
          <select
            aria-label="Context size"
            value={conversation.contextTier ?? ''}
            onChange={(e) => e.target.value && void update({ contextTier: e.target.value as Conversation['contextTier'] })}
          >
            <option value="">Default context</option>
            {choice.contextTiers.map((t) => (
              <option key={t} value={t}>
                {TIER_LABEL[t] ?? t}
              </option>
            ))}
            {conversation.contextTier && !choice.contextTiers.includes(conversation.contextTier) && (
              <option value={conversation.contextTier}>{`${TIER_LABEL[conversation.contextTier] ?? conversation.contextTier} (no node offers it now)`}</option>
            )}
          </select>
        </label>
        <button
          type="button"
          className={`btn btn--ghost${conversation.systemPrompt ? ' btn--on' : ''}`}
          onClick={() => openDialog('system-prompt')}
          aria-label={conversation.systemPrompt ? 'Edit the system prompt (set)' : 'Set a system prompt'}
          title="System prompt for this conversation"
        >
          <Icon name="prompt" size={15} />
          <span>System prompt</span>
        </button>
      </div>
    </header>
  );
}
