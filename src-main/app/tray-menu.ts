// The tray icon's menu and tooltip, made from this computer's node status: plain data, so the
// Electron glue (tray.ts) only turns it into a Menu and the choices into calls. Opt-in with the
// `trayEnabled` setting; while it is on, closing the window hides it (window-close.ts).
import type { LocalNodeStatus } from '../../src-shared/ipc/contract';
import { isLocalNodeRunning, type LocalNodeState } from '../../src-shared/vocabulary';

/** What a tray menu item does when chosen. */
export type TrayAction = 'open' | 'start-serving' | 'stop-serving' | 'quit';

export type TrayMenuItem =
  | { kind: 'status'; label: string }
  | { kind: 'separator' }
  | { kind: 'action'; action: TrayAction; label: string; enabled: boolean };

/** The node's state in the tray's words (a new state does not compile until it has them). */
export const TRAY_NODE_STATE: Record<LocalNodeState, string> = {
  unconfigured: 'not set up',
  stopped: 'stopped',
  starting: 'starting…',
  serving: 'serving',
  error: 'stopped by an error',
  crashed: 'stopped unexpectedly',
  restarting: 'restarting…',
};

/** `status` is undefined until the backend has answered (the app is still starting or locked). */
export function trayStatusLine(status: LocalNodeStatus | undefined): string {
  if (!status) return 'This computer’s node: starting the app…';
  const requests = status.state === 'serving' && status.inFlight > 0 ? ` (${status.inFlight} answering)` : '';
  return `This computer’s node: ${TRAY_NODE_STATE[status.state]}${requests}`;
}

export function trayTooltip(status: LocalNodeStatus | undefined): string {
  return `token.place — ${trayStatusLine(status).replace('This computer’s node: ', 'node ')}`;
}

export function trayMenuTemplate(status: LocalNodeStatus | undefined): TrayMenuItem[] {
  const running = status !== undefined && isLocalNodeRunning(status.state);
  return [
    { kind: 'status', label: trayStatusLine(status) },
    { kind: 'separator' },
    { kind: 'action', action: 'open', label: 'Open token.place', enabled: true },
    running
      ? { kind: 'action', action: 'stop-serving', label: 'Stop serving', enabled: true }
      : // A node without a provider is set up in the window first.
        { kind: 'action', action: 'start-serving', label: 'Start serving', enabled: status?.configured === true },
    { kind: 'separator' },
    { kind: 'action', action: 'quit', label: 'Quit token.place', enabled: true },
  ];
}
