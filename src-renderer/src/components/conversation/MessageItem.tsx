// One message row: a user bubble (editable) or an answer (markdown, facts, waiting state, error).
import { memo } from 'react';
import type { Message } from '../../../../src-shared/ipc/contract';
import type { InFlight } from '../../stores/chat';
import { AssistantMessage } from './AssistantMessage';
import { UserMessage } from './UserMessage';

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
  /** Organise: this message's versions (Conversation.versions), whether messages follow it, and its actions. */
  versions?: string[];
  hasLater?: boolean;
  onShowVersion?(messageId: string): void;
  onDelete?(messageId: string): void;
}

export const MessageItem = memo(function MessageItem(props: MessageItemProps) {
  const { message } = props;
  return message.role === 'user' ? <UserMessage {...props} /> : <AssistantMessage {...props} />;
});
