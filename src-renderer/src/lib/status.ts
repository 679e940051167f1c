// How a state is shown: the words and the dot's tone for a relay server's health, the built-in
// relay and this computer's node. The maps are typed by the state sets in src-shared/vocabulary,
// so a new state does not compile until it is given its words and tone here.
import type { ServerHealth } from '../../../src-shared/ipc/contract';
import type { LocalNodeState, ServerHealthState, SupervisedState } from '../../../src-shared/vocabulary';
import { i18n } from '../i18n';

/** The colours of a status dot (`dot--<tone>` in the styles). */
export type Tone = ServerHealthState;

const HEALTH_LABEL: Record<ServerHealthState, string> = {
  ok: 'servers:health.ok',
  degraded: 'servers:health.degraded',
  unreachable: 'servers:health.unreachable',
  unknown: 'servers:health.unknown',
};

/** The colour of a server's dot: reachable but with no node is a warning, not "online". */
export function healthTone(h: Pick<ServerHealth, 'state' | 'nodeCount'> | undefined): Tone {
  if (!h) return 'unknown';
  return h.state === 'ok' && h.nodeCount === 0 ? 'degraded' : h.state;
}

/** "online · 12 ms · 1 node": the state, then latency and node count when known. */
export function healthSummary(h: ServerHealth): string {
  return [
    i18n.t(HEALTH_LABEL[h.state]),
    h.latencyMs !== undefined ? i18n.t('chat:duration.ms', { value: Math.round(h.latencyMs) }) : '',
    h.nodeCount !== undefined ? i18n.t('servers:health.nodes', { count: h.nodeCount }) : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

/** i18n keys: `t(RELAY_STATE_LABEL[state])`. */
export const RELAY_STATE_LABEL: Record<SupervisedState, string> = {
  stopped: 'servers:relayState.stopped',
  starting: 'servers:relayState.starting',
  running: 'servers:relayState.running',
  crashed: 'servers:relayState.crashed',
  restarting: 'servers:relayState.restarting',
};

export const RELAY_TONE: Record<SupervisedState, Tone> = {
  stopped: 'unknown',
  starting: 'degraded',
  running: 'ok',
  crashed: 'degraded',
  restarting: 'degraded',
};

/** i18n keys: `t(NODE_STATE_LABEL[state])`. */
export const NODE_STATE_LABEL: Record<LocalNodeState, string> = {
  unconfigured: 'node:state.unconfigured',
  stopped: 'node:state.stopped',
  starting: 'node:state.starting',
  serving: 'node:state.serving',
  error: 'node:state.error',
  crashed: 'node:state.crashed',
  restarting: 'node:state.restarting',
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
/** Whether the node is on (its Stop button applies); the main process's tray menu asks the same. */
export { isLocalNodeRunning as nodeRunning } from '../../../src-shared/vocabulary';
