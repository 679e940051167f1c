// The tray icon's menu and tooltip, made from this computer's node status: plain data, so the
// Electron glue (tray.ts) only turns it into a Menu and the choices into calls. Opt-in with the
// `trayEnabled` setting; while it is on, closing the window hides it (window-close.ts). The words
// are in the language of the user's setting (src-shared/i18n/desktop-words.ts).
import { fillIn, nodeStateWord, type DesktopWords } from '../../src-shared/i18n/desktop-words';
import type { LocalNodeStatus } from '../../src-shared/ipc/contract';
import { isLocalNodeRunning } from '../../src-shared/vocabulary';

/** What a tray menu item does when chosen. */
export type TrayAction = 'open' | 'start-serving' | 'stop-serving' | 'quit';

export type TrayMenuItem =
  | { kind: 'status'; label: string }
  | { kind: 'separator' }
  | { kind: 'action'; action: TrayAction; label: string; enabled: boolean };

/** The node's status in the tray's words: `status` is undefined until the backend has answered (the app is still starting or locked). */
function nodeStatus(status: LocalNodeStatus | undefined, words: DesktopWords): string {
  if (!status) return fillIn(words, 'tray.appStarting');
  const state = fillIn(words, nodeStateWord(status.state));
  return status.state === 'serving' && status.inFlight > 0 ? fillIn(words, 'tray.answering', { state, count: status.inFlight }) : state;
}

export function trayStatusLine(status: LocalNodeStatus | undefined, words: DesktopWords): string {
  return fillIn(words, 'tray.status', { status: nodeStatus(status, words) });
}

export function trayTooltip(status: LocalNodeStatus | undefined, words: DesktopWords): string {
  return fillIn(words, 'tray.tooltip', { status: nodeStatus(status, words) });
}

export function trayMenuTemplate(status: LocalNodeStatus | undefined, words: DesktopWords): TrayMenuItem[] {
  const running = status !== undefined && isLocalNodeRunning(status.state);
  return [
    { kind: 'status', label: trayStatusLine(status, words) },
    { kind: 'separator' },
    { kind: 'action', action: 'open', label: words['tray.open'], enabled: true },
    running
      ? { kind: 'action', action: 'stop-serving', label: words['tray.stopServing'], enabled: true }
      : // A node without a provider is set up in the window first.
        { kind: 'action', action: 'start-serving', label: words['tray.startServing'], enabled: status?.configured === true },
    { kind: 'separator' },
    { kind: 'action', action: 'quit', label: words['tray.quit'], enabled: true },
  ];
}
