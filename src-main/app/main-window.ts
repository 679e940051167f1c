// Creates the main window with the hardened options, restores its remembered bounds and saves
// them again when it closes. The caller loads the page only after it has stored the window, so
// IPC from the very first script already finds "our window" to check senders against.
import type { BrowserWindow, Screen } from 'electron';
import type { UrlPolicy } from './app-origin';
import { mainWindowOptions } from './window-options';
import { keepOnScreen, loadWindowBounds, saveWindowBounds } from './window-state';

export interface MainWindowDeps {
  BrowserWindow: typeof BrowserWindow;
  screen: Pick<Screen, 'getAllDisplays'>;
  userDataDir: string;
  preloadPath: string;
  policy: UrlPolicy;
}

export async function createMainWindow(deps: MainWindowDeps): Promise<BrowserWindow> {
  const remembered = await loadWindowBounds(deps.userDataDir);
  const bounds = keepOnScreen(
    remembered,
    deps.screen.getAllDisplays().map((d) => d.workArea),
  );
  const window = new deps.BrowserWindow(mainWindowOptions(deps.preloadPath, bounds, deps.policy.development));
  window.once('ready-to-show', () => window.show());
  window.on('close', () => {
    void saveWindowBounds(deps.userDataDir, window.getNormalBounds()).catch(() => undefined);
  });
  if (!deps.policy.development) {
    window.webContents.on('devtools-opened', () => window.webContents.closeDevTools());
  }
  return window;
}
