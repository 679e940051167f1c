// How a state is shown: the words and the dot's tone for a relay server's health, the built-in
// relay and this computer's node. The maps are typed by the state sets in src-shared/vocabulary,
// so a new state does not compile until it is given its words and tone here.
import type { ServerHealth } from '../../../src-shared/ipc/contract';
import type { LocalNodeState, ServerHealthState, SupervisedState } from '../../../src-shared/vocabulary';
import { plural } from './text';

/** The colours of a status dot (`dot--<tone>` in the styles). */
export type Tone = ServerHealthState;

const HEALTH_LABEL: Record<ServerHealthState, string> = {
  ok: 'online',
  degraded: 'degraded',
  unreachable: 'unreachable',
  unknown: 'not checked yet',
};

/** The colour of a server's dot: reachable but with no node is a warning, not "online". */
export function healthTone(h: Pick<ServerHealth, 'state' | 'nodeCount'> | undefined): Tone {
  if (!h) return 'unknown';
  return h.state === 'ok' && h.nodeCount === 0 ? 'degraded' : h.state;
}

/** "online · 12 ms · 1 node": the state, then latency and node count when known. */
export function healthSummary(h: ServerHealth): string {
  return [HEALTH_LABEL[h.state], h.latencyMs !== undefined ? `${Math.round(h.latencyMs)} ms` : '', h.nodeCount !== undefined ? plural(h.nodeCount, 'node') : '']
    .filter(Boolean)
    .join(' · ');
}

export const RELAY_STATE_LABEL: Record<SupervisedState, string> = {
  stopped: 'Off',
  starting: 'Starting…',
  running: 'Running',
  crashed: 'Stopped unexpectedly',
  restarting: 'Restarting…',
};

export const RELAY_TONE: Record<SupervisedState, Tone> = {
  stopped: 'unknown',
  starting: 'degraded',
  running: 'ok',
  crashed: 'degraded',
  restarting: 'degraded',
};

export const NODE_STATE_LABEL: Record<LocalNodeState, string> = {
  unconfigured: 'No model provider yet',
  stopped: 'Stopped',
  starting: 'Starting…',
  serving: 'Serving',
  error: 'Error',
  crashed: 'Stopped unexpectedly',
  restarting: 'Restarting…',
};

export const NODE_TONE: Record<LocalNodeState, Tone> = {
  unconfigured: 'unknown',
  stopped: 'unknown',
  starting: 'unknown',
  serving: 'ok',
  error: 'unreachable',
  crashed: 'unreachable',
  restarting: 'unknown',
};

/** The node is up or on its way up (Stop, not Start, is what the button offers). */
export function nodeRunning(state: LocalNodeState): boolean {
  return state === 'serving' || state === 'starting' || state === 'restarting';
}
