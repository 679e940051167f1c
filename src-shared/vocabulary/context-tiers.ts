// Context tiers: the window sizes a request may ask for and a node may serve (docs/protocol.md §5.3).
// Their token counts live with the protocol constants (CONTEXT_TIERS).
import { z } from 'zod';

export const ContextTierSchema = z.enum(['8k-fast', '64k-full']);
export type ContextTier = z.infer<typeof ContextTierSchema>;
/** Smallest first. */
export const CONTEXT_TIER_NAMES = ContextTierSchema.options;
