// The open conversation: header (title, lock, model and tier, system prompt), messages, composer.
import { useTranslation } from 'react-i18next';
import { useCallback } from 'react';
import type { Conversation } from '../../../../src-shared/ipc/contract';
import { useChat } from '../../stores/chat';
import { useConversations } from '../../stores/conversations';
import { sendBlockReason, useServers } from '../../stores/servers';
import { useUi } from '../../stores/ui';
import { FindBar } from '../find/FindBar';
import { Composer } from './Composer';
import { ConversationHeader } from './ConversationHeader';
import { EmptyConversation } from './EmptyConversation';
import { MessageList } from './MessageList';

export function ConversationView({ conversation }: { conversation: Conversation }) {
  const { t } = useTranslation('chat');
  const id = conversation.id;
  const flight = useChat((s) => s.inFlight[id]);
  const failure = useChat((s) => s.failure[id]);
  const list = useServers((s) => s.list);
  const relay = useServers((s) => s.relay);
  const focusSeq = useUi((s) => s.focusComposerSeq);
  const reveal = useUi((s) => s.reveal);
  const blocked = sendBlockReason(list, relay);
  const last = conversation.messages.at(-1);

  const chat = useChat.getState;
  // Stable, so the memoised message rows skip re-rendering on every status event of an answer.
  const onEdit = useCallback((messageId: string, content: string) => chat().edit(id, messageId, content), [chat, id]);
  const onRegenerate = useCallback(() => void chat().regenerate(id), [chat, id]);
  const onShowVersion = useCallback((messageId: string) => void useConversations.getState().showVersion(messageId), []);
  const onDelete = useCallback((messageId: string) => void useConversations.getState().deleteMessage(messageId), []);

  return (
    <section className="conversation" aria-label={t('view.label', { title: conversation.title })}>
      <ConversationHeader conversation={conversation} />
      <FindBar key={id} conversationId={id} messages={conversation.messages} />
      {conversation.messages.length === 0 ? (
        <EmptyConversation />
      ) : (
        <MessageList
          conversationId={id}
          messages={conversation.messages}
          flight={flight}
          revealId={reveal?.conversationId === id ? reveal.messageId : undefined}
          revealSeq={reveal?.seq}
          onEdit={onEdit}
          onRegenerate={onRegenerate}
          onRetry={onRegenerate}
          versions={conversation.versions}
          onShowVersion={onShowVersion}
          onDelete={onDelete}
        />
      )}
      <Composer
        conversationId={id}
        blockedReason={blocked}
        inFlight={Boolean(flight)}
        stopping={flight?.stopping}
        canRegenerate={last?.role === 'assistant' && last.status !== 'pending'}
        failure={failure}
        focusSeq={focusSeq}
        onSend={(text, attachments) => chat().send(id, text, attachments)}
        onStop={() => void chat().stop(id)}
        onRegenerate={onRegenerate}
      />
    </section>
  );
}
