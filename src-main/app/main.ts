// Electron main process: hardens the app, serves the renderer from app://, starts the backend
// (storage, client, embedded relay and compute node in utility processes) and wires IPC.
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, Notification, protocol, safeStorage, screen, session, shell, Tray, utilityProcess } from 'electron';
import { DESKTOP_WORDS } from '../../src-shared/i18n/desktop-words';
import { DEFAULT_LANGUAGE, formattingLocale, languageFor } from '../../src-shared/i18n/language';
import type { EventChannel, EventPayload, Settings } from '../../src-shared/ipc/contract';
import type { Language } from '../../src-shared/vocabulary';
import { createBackend, type Backend } from '../backend';
import { chooseChatFile, chooseExportPath } from './chat-file-dialogs';
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
import { AnswerNotifier } from './notifications';
import { AppTray } from './tray';
import type { TrayAction } from './tray-menu';
import { guardNavigation, restrictPermissions } from './web-contents-guard';
import { closeAction, quitWhenAllWindowsClosed } from './window-close';

// The dev server is honoured only in an unpackaged build started by electron-vite.
const policy = createUrlPolicy(app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL);
const openExternal = (url: string) => void openInSystemBrowser(shell, url).catch(() => undefined);

let mainWindow: BrowserWindow | null = null;
let backend: Backend | undefined;
let quitting = false;

// Live on the desktop (issue 14): the tray icon and answer notifications, both opt-in settings.
// Their words follow the language setting (src-shared/i18n/desktop-words.ts: main cannot import
// the renderer's locales, and shows these with no window open).
const desktop = { notifyOnAnswer: false, trayEnabled: false, language: DEFAULT_LANGUAGE as Language };
const desktopLanguage = () => ({ words: DESKTOP_WORDS[desktop.language], locale: formattingLocale(desktop.language, app.getLocale()) });
const sendToWindow = createEventSink(() => mainWindow, policy);
const tray = new AppTray({ Tray, Menu, nativeImage, platform: process.platform, act: (action) => void onTrayAction(action) });
const notifier = new AnswerNotifier({
  Notification,
  enabled: () => desktop.notifyOnAnswer,
  windowFocused: () => mainWindow !== null && !mainWindow.isDestroyed() && mainWindow.isVisible() && mainWindow.isFocused(),
  chatCreatedAt: async (id) => {
    const listed = await backend?.invoke('conversations:list', {});
    const chats = listed?.ok ? (listed.value as { id: string; createdAt: number }[]) : [];
    return chats.find((c) => c.id === id)?.createdAt;
  },
  openConversation: (conversationId) => void showMainWindow().then(() => sendToWindow('events:window', { type: 'openConversation', conversationId })),
  language: desktopLanguage,
});

function applyDesktopSettings(settings: Pick<Settings, 'notifyOnAnswer' | 'trayEnabled' | 'language'> | undefined): void {
  desktop.notifyOnAnswer = settings?.notifyOnAnswer === true;
  desktop.trayEnabled = settings?.trayEnabled === true;
  desktop.language = languageFor(settings?.language, app.getPreferredSystemLanguages());
  tray.setWords(desktopLanguage().words);
  tray.setEnabled(desktop.trayEnabled);
}

/** Backend events go to the window, and the node's status and finished answers to the tray and notifier. */
function emit<C extends EventChannel>(channel: C, payload: EventPayload<C>): void {
  sendToWindow(channel, payload);
  if (channel === 'events:node') tray.setStatus(payload as EventPayload<'events:node'>);
  if (channel === 'events:chat') void notifier.onChatEvent(payload as EventPayload<'events:chat'>).catch(() => undefined);
}

async function onTrayAction(action: TrayAction): Promise<void> {
  if (action === 'open') return showMainWindow();
  if (action === 'quit') return app.quit();
  await backend?.invoke(action === 'stop-serving' ? 'node:stop' : 'node:start', {});
}

async function showMainWindow(): Promise<void> {
  if (!mainWindow || mainWindow.isDestroyed()) {
    if (backend) await openMainWindow();
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

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
    emit,
    openExternal: (url) => openInSystemBrowser(shell, url),
    chooseModelFile: () => chooseModelFile(dialog, mainWindow),
    chooseExportPath: (name, format) => chooseExportPath(dialog, mainWindow, name, format),
    chooseChatFile: () => chooseChatFile(dialog, mainWindow),
    version: app.getVersion(),
    platform: process.platform,
    log: (line) => console.warn(`[backend] ${line}`),
  });
  registerIpcHandlers({
    ipcMain,
    backend: {
      invoke: async (channel, request) => {
        const result = await (await backendReady).invoke(channel, request);
        if (channel === 'settings:update' && result.ok) applyDesktopSettings(result.value as Settings);
        return result;
      },
    },
    policy,
    getWindow: () => mainWindow,
    log: (message) => console.warn(`[ipc] ${message}`),
  });
  await Promise.all([backendReady.then((b) => (backend = b)), openMainWindow()]);
  // While locked (a passphrase is needed) these fail; the switches apply once settings are saved.
  const [settings, node] = await Promise.all([backendReady.then((b) => b.invoke('settings:get', {})), backendReady.then((b) => b.invoke('node:status', {}))]);
  if (settings.ok) applyDesktopSettings(settings.value as Settings);
  if (node.ok) tray.setStatus(node.value as EventPayload<'events:node'>);
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
  window.on('close', (event) => {
    if (closeAction({ trayEnabled: desktop.trayEnabled, quitting }) !== 'hide') return;
    event.preventDefault();
    window.hide();
  });
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
  // A second start brings this one's window back (also when the tray had hidden it).
  app.on('second-instance', () => void showMainWindow());
  app.on('web-contents-created', (_event, contents) => guardNavigation(contents, policy, openExternal));
  app.on('window-all-closed', () => {
    if (quitWhenAllWindowsClosed(process.platform, desktop.trayEnabled)) app.quit();
  });
  app.on('activate', () => {
    void showMainWindow();
  });
  let closing = false;
  app.on('before-quit', (event) => {
    quitting = true;
    if (closing || !backend) return;
    tray.destroy();
    notifier.close();
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
