// The caller's chat request checked before anything is sent (§2.3.1 messages and options).
import { InnerMessagesSchema, InnerOptionsSchema, type InnerMessage, type InnerOptions } from '../../../src-shared/protocol/inner-envelope';
import { ContextTierSchema } from '../../../src-shared/vocabulary';
import { InvalidChatRequestError } from '../errors';
import type { ChatRequest } from '../types';

export interface CheckedChat {
  messages: InnerMessage[];
  options: InnerOptions;
}

export function checkChatRequest(req: ChatRequest): CheckedChat {
  const messages = InnerMessagesSchema.safeParse(req.messages);
  if (!messages.success) throw new InvalidChatRequestError(`messages: ${messages.error.issues[0]?.message ?? 'invalid'}`);
  const options = InnerOptionsSchema.safeParse(req.options ?? {});
  if (!options.success) {
    throw new InvalidChatRequestError(`options.${String(options.error.issues[0]?.path[0] ?? '')}: ${options.error.issues[0]?.message ?? 'invalid'}`);
  }
  if (req.contextTier !== undefined && !ContextTierSchema.safeParse(req.contextTier).success) {
    throw new InvalidChatRequestError('unknown context tier');
  }
  return { messages: messages.data, options: options.data };
}
