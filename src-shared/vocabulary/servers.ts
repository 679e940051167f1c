// Servers (relays) in the app's list: what kind each is, how its node keys are trusted, and how
// its last health check went.
import { z } from 'zod';

export const ServerKindSchema = z.enum(['embedded', 'public', 'custom']);
export type ServerKind = z.infer<typeof ServerKindSchema>;

/**
 * How a server's node keys are trusted before a prompt is encrypted to one (docs/client.md "Node
 * keys and trust"): `ask` — trust on first use: the first key used on the server is trusted, and
 * before anything goes to a key not trusted there the window shows it and asks; `trusted-only` —
 * such a key is refused without asking; `any-node` — every key the server picks is used (networks
 * with many nodes), and each answer shows its key.
 */
export const TrustPolicySchema = z.enum(['ask', 'trusted-only', 'any-node']);
export type TrustPolicy = z.infer<typeof TrustPolicySchema>;

/**
 * Why the key an answer came from was trusted: it is this computer's own node, it was the first
 * key used on that server, the user confirmed it, or the server's policy takes any node.
 */
export const NodeTrustSchema = z.enum(['own-node', 'first-use', 'confirmed', 'any-node']);
export type NodeTrust = z.infer<typeof NodeTrustSchema>;

/** How a remembered key became trusted on its server (what is stored). */
export const TrustSourceSchema = NodeTrustSchema.extract(['first-use', 'confirmed']);
export type TrustSource = z.infer<typeof TrustSourceSchema>;

/** The user's answer when asked about a node key not trusted on the server yet. */
export const NodeConfirmationDecisionSchema = z.enum(['trust', 'trust-any-node', 'refuse']);
export type NodeConfirmationDecision = z.infer<typeof NodeConfirmationDecisionSchema>;

/** 'unknown' until the first check; a check itself ends in one of the other three. */
export const ServerHealthStateSchema = z.enum(['unknown', 'ok', 'degraded', 'unreachable']);
export type ServerHealthState = z.infer<typeof ServerHealthStateSchema>;
