// The message protocol between the main process and its utility processes (embedded relay,
// compute node). Main sends `call`s; the child answers each with a `result` carrying the same
// id, and reports `status` (node) and `crash` (its host failed) on its own. Both ends parse
// every message with these schemas.
import { z } from 'zod';
import { NodeHostConfigSchema, NodeHostStatusSchema } from '../../backend';

export const RelayConfigSchema = z
  .object({
    host: z.string().max(255).optional(),
    port: z.number().int().min(0).max(65_535).optional(),
    /** Made in main, once per launch; the relay process requires it on every request (§12). */
    launchSecret: z.string().max(64),
  })
  .strict();
export type UtilityRelayConfig = z.infer<typeof RelayConfigSchema>;

const CallId = z.number().int().nonnegative();

/** main -> relay process */
export const RelayCallSchema = z.discriminatedUnion('method', [
  z.object({ type: z.literal('call'), id: CallId, method: z.literal('start'), config: RelayConfigSchema }).strict(),
  z.object({ type: z.literal('call'), id: CallId, method: z.literal('stop') }).strict(),
  z.object({ type: z.literal('call'), id: CallId, method: z.literal('nodeCount') }).strict(),
]);
export type RelayCall = z.infer<typeof RelayCallSchema>;

/** main -> node process */
export const NodeCallSchema = z.discriminatedUnion('method', [
  z.object({ type: z.literal('call'), id: CallId, method: z.literal('start'), config: NodeHostConfigSchema }).strict(),
  z.object({ type: z.literal('call'), id: CallId, method: z.literal('stop') }).strict(),
]);
export type NodeCall = z.infer<typeof NodeCallSchema>;

/** What each call's successful result holds. */
export const RelayResultValues = {
  start: z.object({ url: z.string().url() }),
  stop: z.null(),
  nodeCount: z.number().int().nonnegative(),
} as const;
export const NodeResultValues = {
  start: z.null(),
  stop: z.null(),
} as const;

/** child -> main */
export const ChildMessageSchema = z.union([
  z.object({ type: z.literal('ready') }).strict(),
  z.object({ type: z.literal('result'), id: CallId, ok: z.literal(true), value: z.unknown() }).strict(),
  z
    .object({
      type: z.literal('result'),
      id: CallId,
      ok: z.literal(false),
      /** `code` only for a domain AppError, whose message is meant for the user (main rebuilds it if the registry knows the code). */
      error: z.object({ message: z.string().max(2000), code: z.string().max(100).optional() }).strict(),
    })
    .strict(),
  z.object({ type: z.literal('status'), status: NodeHostStatusSchema }).strict(),
  z.object({ type: z.literal('crash'), error: z.string().max(2000) }).strict(),
]);
export type ChildMessage = z.infer<typeof ChildMessageSchema>;
