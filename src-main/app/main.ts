// Electron main process: hardens the app, serves the renderer from app://, starts the backend
// (storage, client, embedded relay and compute node in utility processes) and wires IPC.
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, screen, session, shell, utilityProcess } from 'electron';
import { createBackend, type Backend } from '../backend';
import { chooseModelFile } from './model-file-dialog';
import { APP_SCHEME, createUrlPolicy } from './app-origin';
import { appMenuTemplate } from './app-menu';
import { createAppProtocolHandler, registerAppScheme } from './app-protocol';
import { enforceCspOnSession } from './csp';
import { openInSystemBrowser } from './external-links';
import { createEventSink, registerIpcHandlers } from './ipc';
import { createMainWindow } from './main-window';
import { chooseSecretStore } from './secrets';
import { createUtilityNodeHost, createUtilityRelayHost } from './utility-hosts';
import { guardNavigation, restrictPermissions } from './web-contents-guard';

// The dev server is honoured only in an unpackaged build started by electron-vite.
const policy = createUrlPolicy(app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL);
const openExternal = (url: string) => void openInSystemBrowser(shell, url).catch(() => undefined);

let mainWindow: BrowserWindow | null = null;
let backend: Backend | undefined;

function fork(entry: string, serviceName: string) {
  return () => utilityProcess.fork(join(__dirname, entry), [], { serviceName, stdio: 'inherit' });
}

async function start(): Promise<void> {
  restrictPermissions(session.defaultSession, policy);
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(process.platform, policy.development, app.getName())));
  if (!policy.development) enforceCspOnSession(session.defaultSession);
  protocol.handle(APP_SCHEME, createAppProtocolHandler(join(__dirname, '../renderer')));

  const dataDir = app.getPath('userData');
  // The backend opens storage and starts the relay and node (key generation included): show the
  // window meanwhile; IPC that arrives before the backend is ready waits for it.
  const backendReady = createBackend({
    dataDir,
    secrets: chooseSecretStore(dataDir, safeStorage, process.platform),
    relayHost: createUtilityRelayHost({ fork: fork('relay-process.js', 'token.place relay'), config: { host: '127.0.0.1' } }),
    nodeHost: createUtilityNodeHost({ fork: fork('node-process.js', 'token.place node') }),
    emit: createEventSink(() => mainWindow, policy),
    openExternal: (url) => openInSystemBrowser(shell, url),
    chooseModelFile: () => chooseModelFile(dialog, mainWindow),
    version: app.getVersion(),
    platform: process.platform,
    log: (line) => console.warn(`[backend] ${line}`),
  });
  registerIpcHandlers({
    ipcMain,
    backend: { invoke: async (channel, request) => (await backendReady).invoke(channel, request) },
    policy,
    getWindow: () => mainWindow,
    log: (message) => console.warn(`[ipc] ${message}`),
  });
  await Promise.all([backendReady.then((b) => (backend = b)), openMainWindow()]);
}

async function openMainWindow(): Promise<void> {
  const window = await createMainWindow({
    BrowserWindow,
    screen,
    userDataDir: app.getPath('userData'),
    preloadPath: join(__dirname, '../preload/index.js'),
    policy,
  });
  mainWindow = window;
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  await window.loadURL(policy.entryUrl).catch((error: unknown) => {
    console.error('[main] the window could not load:', error instanceof Error ? error.message : 'unknown error');
  });
}

registerAppScheme(protocol);
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => guardNavigation(contents, policy, openExternal));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (!mainWindow && backend) void openMainWindow();
  });
  let closing = false;
  app.on('before-quit', (event) => {
    if (closing || !backend) return;
    // Let the backend flush storage and stop the relay/node processes before exiting.
    closing = true;
    event.preventDefault();
    const timeout = new Promise((resolve) => setTimeout(resolve, 5_000));
    void Promise.race([backend.close(), timeout])
      .catch(() => undefined)
      .finally(() => app.quit());
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      console.error('[main] start failed:', error instanceof Error ? error.message : 'unknown error');
      app.exit(1);
    });
}
