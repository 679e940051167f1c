// The main-process wiring with Electron and the backend mocked: what happens at import (before
// ready), on ready, and for every other webContents.
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { invokeChannels } from '../../src-shared/ipc/contract';

const h = await vi.hoisted(async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  const state = {
    userData: '',
    lock: true,
    packaged: false,
    ready: undefined as undefined | (() => void),
    windows: [] as unknown[],
    /** When true, loadURL never settles (the page is still loading). */
    loadPending: false,
  };
  const app = Object.assign(new Emitter(), {
    isPackaged: false,
    getPath: vi.fn(() => state.userData),
    getVersion: vi.fn(() => '0.1.0'),
    getName: vi.fn(() => 'token.place'),
    requestSingleInstanceLock: vi.fn(() => state.lock),
    enableSandbox: vi.fn(),
    quit: vi.fn(),
    exit: vi.fn(),
    whenReady: vi.fn(() => new Promise<void>((resolve) => (state.ready = resolve))),
  });
  const session = {
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
    setDevicePermissionHandler: vi.fn(),
    setDisplayMediaRequestHandler: vi.fn(),
    webRequest: { onHeadersReceived: vi.fn() },
  };
  class BrowserWindow extends Emitter {
    options: unknown;
    webContents = Object.assign(new Emitter(), { loadURL: vi.fn(), closeDevTools: vi.fn(), mainFrame: {} });
    loadURL = vi.fn(() => (state.loadPending ? new Promise<void>(() => undefined) : Promise.resolve()));
    constructor(options: unknown) {
      super();
      this.options = options;
      state.windows.push(this);
    }
    isDestroyed = () => false;
    getNormalBounds = () => ({ x: 0, y: 0, width: 1200, height: 800 });
    show = vi.fn();
  }
  const createBackend = vi.fn(async () => ({ invoke: vi.fn(async () => ({ ok: true, value: undefined })), close: vi.fn(async () => undefined) }));
  return {
    state,
    app,
    session,
    BrowserWindow,
    createBackend,
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    ipcMain: { handle: vi.fn(), removeHandler: vi.fn() },
    safeStorage: {
      isEncryptionAvailable: vi.fn(() => true),
      getSelectedStorageBackend: vi.fn(() => 'gnome_libsecret'),
      encryptString: vi.fn(),
      decryptString: vi.fn(),
    },
    shell: { openExternal: vi.fn() },
    utilityProcess: { fork: vi.fn() },
    Menu: { setApplicationMenu: vi.fn(), buildFromTemplate: vi.fn((template: unknown) => ({ template })) },
  };
});

vi.mock('electron', () => ({
  app: h.app,
  Menu: h.Menu,
  BrowserWindow: h.BrowserWindow,
  ipcMain: h.ipcMain,
  protocol: h.protocol,
  safeStorage: h.safeStorage,
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  session: { defaultSession: h.session },
  shell: h.shell,
  utilityProcess: h.utilityProcess,
}));
// The real module for what the utility-process wiring imports (schemas); createBackend is the fake.
vi.mock('../backend', async (importOriginal) => ({ ...(await importOriginal<typeof import('../backend')>()), createBackend: h.createBackend }));

async function loadMain() {
  vi.resetModules();
  await import('./main');
}

async function ready() {
  h.state.ready!();
  await vi.waitFor(() => expect(h.state.windows).toHaveLength(1));
  await vi.waitFor(() => expect((h.state.windows[0] as { loadURL: { mock: { calls: unknown[] } } }).loadURL.mock.calls).toHaveLength(1));
}

beforeEach(() => {
  vi.clearAllMocks();
  h.app.removeAllListeners();
  h.state.windows = [];
  h.state.lock = true;
  h.state.loadPending = false;
  h.state.userData = mkdtempSync(join(tmpdir(), 'tp-main-'));
  delete process.env.ELECTRON_RENDERER_URL;
});
afterEach(() => {
  rmSync(h.state.userData, { recursive: true, force: true });
});

describe('main process', () => {
  it('registers app:// as privileged and enables the sandbox before ready', async () => {
    await loadMain();
    expect(h.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([expect.objectContaining({ scheme: 'app' })]);
    expect(h.app.enableSandbox).toHaveBeenCalled();
    expect(h.createBackend).not.toHaveBeenCalled();
  });

  it('quits when another instance holds the lock', async () => {
    h.state.lock = false;
    await loadMain();
    expect(h.app.quit).toHaveBeenCalled();
    expect(h.app.whenReady).not.toHaveBeenCalled();
  });

  it('on ready: denies permissions, serves app://, starts the backend, registers IPC, opens the hardened window', async () => {
    await loadMain();
    await ready();
    expect(h.session.setPermissionRequestHandler).toHaveBeenCalled();
    expect(h.session.setPermissionCheckHandler).toHaveBeenCalled();
    const menu = h.Menu.setApplicationMenu.mock.calls[0]?.[0] as { template: { submenu?: { role?: string }[] }[] };
    const roles = menu.template.flatMap((item) => (item.submenu ?? []).map((entry) => entry.role));
    expect(roles).toContain('copy');
    expect(roles).not.toContain('reload');
    expect(h.session.webRequest.onHeadersReceived).toHaveBeenCalled();
    expect(h.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    expect(h.createBackend).toHaveBeenCalledWith(
      expect.objectContaining({
        dataDir: h.state.userData,
        secrets: expect.objectContaining({ kind: 'os' }),
        relayHost: expect.any(Object),
        nodeHost: expect.any(Object),
        emit: expect.any(Function),
        openExternal: expect.any(Function),
      }),
    );
    const channels = h.ipcMain.handle.mock.calls.map(([c]) => c as string);
    expect(channels.sort()).toEqual(Object.keys(invokeChannels).sort());
    const win = h.state.windows[0] as InstanceType<typeof h.BrowserWindow>;
    const prefs = (win.options as { webPreferences: Record<string, unknown> }).webPreferences;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, devTools: false });
    expect(String(prefs.preload)).toMatch(/out[/\\]preload[/\\]index\.js$|preload[/\\]index\.js$/);
    expect(win.loadURL).toHaveBeenCalledWith('app://tokenplace/index.html');
  });

  it('knows its window before the page loads, so IPC from the first script is trusted', async () => {
    h.state.loadPending = true;
    await loadMain();
    h.state.ready!();
    await vi.waitFor(() => expect(h.state.windows).toHaveLength(1));
    const win = h.state.windows[0] as InstanceType<typeof h.BrowserWindow>;
    const mainFrame = { url: 'app://tokenplace/index.html', parent: null, processId: 1, routingId: 1 };
    win.webContents.mainFrame = mainFrame;
    await vi.waitFor(() => expect(win.loadURL).toHaveBeenCalled());
    const handler = h.ipcMain.handle.mock.calls.find(([c]) => c === 'settings:get')![1] as (e: unknown, p: unknown) => Promise<unknown>;
    await expect(handler({ sender: win.webContents, senderFrame: mainFrame }, {})).resolves.toMatchObject({ ok: true });
    h.state.loadPending = false;
  });

  it('shows the window while the backend is still starting; IPC waits for the backend', async () => {
    let finish!: (b: unknown) => void;
    const invoke = vi.fn(async () => ({ ok: true, value: { theme: 'system', fontSize: 14 } }));
    h.createBackend.mockImplementationOnce(() => new Promise((resolve) => (finish = resolve)) as never);
    await loadMain();
    h.state.ready!();
    await vi.waitFor(() => expect(h.state.windows).toHaveLength(1));
    const win = h.state.windows[0] as InstanceType<typeof h.BrowserWindow>;
    const mainFrame = { url: 'app://tokenplace/index.html', parent: null, processId: 1, routingId: 1 };
    win.webContents.mainFrame = mainFrame;
    const handler = h.ipcMain.handle.mock.calls.find(([c]) => c === 'settings:get')![1] as (e: unknown, p: unknown) => Promise<unknown>;
    const reply = handler({ sender: win.webContents, senderFrame: mainFrame }, {});
    await new Promise((r) => setTimeout(r, 10));
    expect(invoke).not.toHaveBeenCalled();
    finish({ invoke, close: vi.fn() });
    await expect(reply).resolves.toEqual({ ok: true, value: { theme: 'system', fontSize: 14 } });
  });

  it('starts locked (no secret store) when the OS has no keyring', async () => {
    h.safeStorage.getSelectedStorageBackend.mockReturnValueOnce('basic_text');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
    Object.defineProperty(process, 'platform', { value: 'linux' });
    try {
      await loadMain();
      await ready();
    } finally {
      Object.defineProperty(process, 'platform', platform);
    }
    expect(h.createBackend).toHaveBeenCalledWith(expect.objectContaining({ secrets: undefined }));
    expect(warn).toHaveBeenCalled();
  });

  it('guards every webContents that gets created', async () => {
    await loadMain();
    const contents = Object.assign(new EventEmitter(), { setWindowOpenHandler: vi.fn() });
    h.app.emit('web-contents-created', {}, contents);
    expect(contents.listenerCount('will-navigate')).toBe(1);
    expect(contents.listenerCount('will-redirect')).toBe(1);
    expect(contents.listenerCount('will-attach-webview')).toBe(1);
    expect(contents.setWindowOpenHandler).toHaveBeenCalled();
  });

  it('loads the dev server only in an unpackaged app', async () => {
    process.env.ELECTRON_RENDERER_URL = 'http://localhost:5173/';
    await loadMain();
    await ready();
    const win = h.state.windows[0] as InstanceType<typeof h.BrowserWindow>;
    expect(win.loadURL).toHaveBeenCalledWith('http://localhost:5173/');
    expect((win.options as { webPreferences: { devTools: boolean } }).webPreferences.devTools).toBe(true);
  });

  it('ignores ELECTRON_RENDERER_URL in a packaged app', async () => {
    process.env.ELECTRON_RENDERER_URL = 'http://localhost:5173/';
    h.app.isPackaged = true;
    try {
      await loadMain();
      await ready();
    } finally {
      h.app.isPackaged = false;
    }
    const win = h.state.windows[0] as InstanceType<typeof h.BrowserWindow>;
    expect(win.loadURL).toHaveBeenCalledWith('app://tokenplace/index.html');
    expect((win.options as { webPreferences: { devTools: boolean } }).webPreferences.devTools).toBe(false);
  });
});
