// The prompt size rule of a node's admission (docs/protocol.md §2.3.1): about four characters per
// token, plus a few tokens of chat-template overhead per message. Declared once: the node admits
// by it, and the window estimates attachments and warns before sending by the same numbers.

/** Characters per token of the estimate (§2.3.1: ⌈content characters / 4⌉). */
export const CHARS_PER_TOKEN = 4;
/** Tokens added per message for its chat-template framing (§2.3.1: + 4 per message). */
export const TOKENS_PER_MESSAGE = 4;

/** Tokens of a text by the estimate: ⌈characters / 4⌉ (characters as the node counts them: UTF-16 units). */
export function estimateTextTokens(chars: number): number {
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

/** The node's prompt estimate: ⌈content characters / 4⌉ + 4 per message (§2.3.1 admission). */
export function estimatePromptTokens(contentChars: number, messageCount: number): number {
  return estimateTextTokens(contentChars) + TOKENS_PER_MESSAGE * messageCount;
}

/** The output a request reserves when it names no max_tokens (§5.3 default reservation). */
export const DEFAULT_OUTPUT_TOKENS = 1024;
