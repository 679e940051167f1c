import type { Conversation } from '../../src-shared/ipc/contract';

/** The exact conversation the crash writer stores for (id, messageCount); big enough to make writes take a while. */
export function expectedConversation(id: string, count: number): Conversation {
  const messages = Array.from({ length: count }, (_, i) => ({
    id: `${id}-m${i}`,
    role: i % 2 === 0 ? ('user' as const) : ('assistant' as const),
    content: `message ${i} of ${id} `.repeat(400),
    createdAt: 1_700_000_000_000 + i,
    status: 'complete' as const,
  }));
  return {
    id,
    title: `Conversation ${id} (${count})`,
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000 + count,
    messageCount: count,
    systemPrompt: '',
    messages,
  };
}
