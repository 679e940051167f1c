// Chat messages → node-llama-cpp chat history, and the prompt's exact length in tokens: the
// model's own chat template (resolved from its GGUF metadata) rendered and run through its own
// tokenizer, the same text the engine then evaluates.
import type { ChatHistoryItem, ChatWrapper, Tokenizer } from 'node-llama-cpp';

/** Same shape as the Model Manager's ProviderMessage. */
export interface EngineMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * The history to generate from: the messages plus an open model turn at the end. A request that
 * ends with an assistant message asks to continue that answer (docs/protocol.md §2.3.5): its turn
 * stays open and the engine writes on from its last word.
 */
export function toChatHistory(messages: readonly EngineMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((m) =>
    m.role === 'assistant' ? { type: 'model', response: [m.content] } : { type: m.role, text: m.content },
  );
  if (messages.at(-1)?.role !== 'assistant') history.push({ type: 'model', response: [] });
  return history;
}

export function countPromptTokens(history: ChatHistoryItem[], chatWrapper: ChatWrapper, tokenizer: Tokenizer): number {
  const { contextText } = chatWrapper.generateContextState({ chatHistory: history });
  return contextText.tokenize(tokenizer).length;
}
