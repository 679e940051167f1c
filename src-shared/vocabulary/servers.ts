// Servers (relays) in the app's list: what kind each is, how its pinned node key is enforced,
// and how its last health check went.
import { z } from 'zod';

export const ServerKindSchema = z.enum(['embedded', 'public', 'custom']);
export type ServerKind = z.infer<typeof ServerKindSchema>;

/** 'warn' marks answers from another key; 'require' refuses another key before anything is sent. */
export const PinModeSchema = z.enum(['warn', 'require']);
export type PinMode = z.infer<typeof PinModeSchema>;

/** 'unknown' until the first check; a check itself ends in one of the other three. */
export const ServerHealthStateSchema = z.enum(['unknown', 'ok', 'degraded', 'unreachable']);
export type ServerHealthState = z.infer<typeof ServerHealthStateSchema>;
