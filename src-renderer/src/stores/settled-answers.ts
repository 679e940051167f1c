// Answers that reached a final state through a chat event. A conversation fetched while the event
// was on its way can still hold the answer as pending; reading through this keeps the final one.
import type { Conversation, Message } from '../../../src-shared/ipc/contract';

const settled = new Map<string, Message>();
const SETTLED_LIMIT = 500;

export function rememberSettled(message: Message): void {
  if (message.status === 'pending') return;
  settled.set(message.id, message);
  if (settled.size > SETTLED_LIMIT) settled.delete(settled.keys().next().value as string);
}

/** Steer's Continue: the answer is under way again, so its events count (§2.3.5). */
export function forgetSettled(messageId: string): void {
  settled.delete(messageId);
}

export function isSettled(messageId: string): boolean {
  return settled.has(messageId);
}

/** `c` with every pending answer that an event already settled replaced by its final message. */
export function withSettled(c: Conversation): Conversation {
  if (settled.size === 0) return c;
  let changed = false;
  const messages = c.messages.map((m) => {
    const s = m.status === 'pending' ? settled.get(m.id) : undefined;
    if (s) changed = true;
    return s ?? m;
  });
  return changed ? { ...c, messages } : c;
}
