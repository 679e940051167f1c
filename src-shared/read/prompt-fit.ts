// Whether a prompt fits its chat's context tier, by the node's own estimate (docs/protocol.md
// §2.3.1 admission, §5.3), before it is sent: the window warns and holds the message back, naming
// the size, the tier's room and what to do.
import { CONTEXT_TIERS } from '../protocol/constants';
import { DEFAULT_OUTPUT_TOKENS, estimatePromptTokens } from '../protocol/prompt-estimate';
import type { ContextTier } from '../vocabulary';
import { fitsContentLimit } from './attachments';

export interface PromptFit {
  tier: ContextTier;
  /** The prompt's estimate (§2.3.1). */
  tokens: number;
  /** What the tier leaves for a prompt: its window less the answer's reservation (§5.3). */
  room: number;
  /** UTF-8 bytes of all content, and the node's limit (§2.3.1 step 4). */
  bytes: number;
  bytesLimit: number;
  fits: boolean;
}

/** `texts`: every message's content as it will be sent (system prompt, history, the new message). */
export function promptFit(tier: ContextTier, texts: readonly string[], outputTokens = DEFAULT_OUTPUT_TOKENS): PromptFit {
  const chars = texts.reduce((sum, t) => sum + t.length, 0);
  const tokens = estimatePromptTokens(chars, texts.length);
  const room = CONTEXT_TIERS[tier] - outputTokens;
  const size = fitsContentLimit(texts);
  return { tier, tokens, room, bytes: size.bytes, bytesLimit: size.limit, fits: tokens <= room && size.fits };
}
