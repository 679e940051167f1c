// The main window's options: every renderer hardening flag set explicitly.
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import type { WindowBounds } from './window-state';

export function secureWebPreferences(preloadPath: string, development: boolean): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    enableBlinkFeatures: '',
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools: development,
  };
}

export function mainWindowOptions(preloadPath: string, bounds: WindowBounds, development: boolean): BrowserWindowConstructorOptions {
  return {
    ...bounds,
    minWidth: 480,
    minHeight: 360,
    show: false,
    title: 'token.place',
    backgroundColor: '#111418',
    webPreferences: secureWebPreferences(preloadPath, development),
  };
}
