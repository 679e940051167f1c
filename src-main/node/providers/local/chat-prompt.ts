// Chat messages → node-llama-cpp chat history, and the prompt's exact length in tokens: the
// model's own chat template (resolved from its GGUF metadata) rendered and run through its own
// tokenizer, the same text the engine then evaluates.
import type { ChatHistoryItem, ChatWrapper, LlamaText, Token, Tokenizer } from 'node-llama-cpp';

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

/** The rendered prompt and where the template says the model's turn ends. */
export interface RenderedPrompt {
  tokens: Token[];
  /** Plain-text end-of-turn markers of the template (matched in the generated text). */
  stopTexts: string[];
  /** End-of-turn markers that contain special tokens (matched on the generated tokens). */
  stopTokens: Token[][];
}

/** Renders the history with the model's chat template (the last model turn left open). */
export function renderPrompt(history: ChatHistoryItem[], chatWrapper: ChatWrapper, tokenizer: Tokenizer): RenderedPrompt {
  const { contextText, stopGenerationTriggers } = chatWrapper.generateContextState({ chatHistory: history });
  const stopTexts: string[] = [];
  const stopTokens: Token[][] = [];
  for (const trigger of stopGenerationTriggers as readonly LlamaText[]) {
    const values = trigger.values;
    if (values.every((v): v is string => typeof v === 'string')) {
      const text = values.join('');
      if (text.length > 0) stopTexts.push(text);
    } else {
      const tokens = trigger.tokenize(tokenizer);
      if (tokens.length > 0) stopTokens.push(tokens);
    }
  }
  return { tokens: contextText.tokenize(tokenizer), stopTexts, stopTokens };
}

export function countPromptTokens(history: ChatHistoryItem[], chatWrapper: ChatWrapper, tokenizer: Tokenizer): number {
  const { contextText } = chatWrapper.generateContextState({ chatHistory: history });
  return contextText.tokenize(tokenizer).length;
}
