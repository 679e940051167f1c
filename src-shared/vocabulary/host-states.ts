// States of the things the app runs: the compute node, the host that runs it, the restart policy
// (which is also what the embedded relay reports), and the app's node as the user sees it.
import { z } from 'zod';

/** What a running compute node reports (startComputeNode's status). */
export const ComputeNodeStateSchema = z.enum(['starting', 'registered', 'serving', 'stopped', 'error']);
export type ComputeNodeState = z.infer<typeof ComputeNodeStateSchema>;

/** A NodeHost's state: its compute node's, or 'crashed' once the process running it died. */
export const NodeHostStateSchema = z.enum([...ComputeNodeStateSchema.options, 'crashed']);
export type NodeHostState = z.infer<typeof NodeHostStateSchema>;

/** The restart policy's states; the embedded relay's status reports exactly these. */
export const SupervisedStateSchema = z.enum(['stopped', 'starting', 'running', 'crashed', 'restarting']);
export type SupervisedState = z.infer<typeof SupervisedStateSchema>;

/** The app's own node as the renderer shows it (`node:status`). */
export const LocalNodeStateSchema = z.enum(['unconfigured', 'stopped', 'starting', 'serving', 'error', 'crashed', 'restarting']);
export type LocalNodeState = z.infer<typeof LocalNodeStateSchema>;

/** The app's node states in which it is on (serving, or on its way there): "Stop" applies, not "Start". */
const RUNNING_LOCAL_NODE_STATES: ReadonlySet<LocalNodeState> = new Set<LocalNodeState>(['serving', 'starting', 'restarting']);
export function isLocalNodeRunning(state: LocalNodeState): boolean {
  return RUNNING_LOCAL_NODE_STATES.has(state);
}
