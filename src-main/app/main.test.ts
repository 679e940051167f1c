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
    getLocale: vi.fn(() => 'en-GB'),
    getPreferredSystemLanguages: vi.fn(() => ['en-GB']),
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
    webContents = Object.assign(new Emitter(), { loadURL: vi.fn(), closeDevTools: vi.fn(), mainFrame: {}, send: vi.fn(), isDestroyed: () => false, getURL: () => 'app://tokenplace/index.html' });
    loadURL = vi.fn(() => (state.loadPending ? new Promise<void>(() => undefined) : Promise.resolve()));
    constructor(options: unknown) {
      super();
      this.options = options;
      state.windows.push(this);
    }
    isDestroyed = () => false;
    getNormalBounds = () => ({ x: 0, y: 0, width: 1200, height: 800 });
    show = vi.fn();
    hide = vi.fn();
    focus = vi.fn();
    restore = vi.fn();
    isMinimized = () => false;
    isVisible = vi.fn(() => true);
    isFocused = vi.fn(() => true);
  }
  class Tray extends Emitter {
    static made: Tray[] = [];
    setToolTip = vi.fn();
    setContextMenu = vi.fn();
    destroy = vi.fn();
    constructor(readonly image: unknown) {
      super();
      Tray.made.push(this);
    }
  }
  class Notification extends Emitter {
    static made: Notification[] = [];
    static isSupported = () => true;
    show = vi.fn();
    close = vi.fn();
    constructor(readonly options: { title: string; body: string }) {
      super();
      Notification.made.push(this);
    }
  }
  const createBackend = vi.fn(async () => ({ invoke: vi.fn(async () => ({ ok: true, value: undefined })), close: vi.fn(async () => undefined) }));
  return {
    state,
    app,
    session,
    BrowserWindow,
    Tray,
    Notification,
    nativeImage: { createFromDataURL: vi.fn(() => ({ setTemplateImage: vi.fn() })) },
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
  Tray: h.Tray,
  Notification: h.Notification,
  nativeImage: h.nativeImage,
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

/** channel's IPC handler, called as the first window's page (its main frame on app://tokenplace) calls it. */
function invokeFromPage(channel: string): (payload: unknown) => Promise<unknown> {
  const win = h.state.windows[0] as InstanceType<typeof h.BrowserWindow>;
  const mainFrame = { url: 'app://tokenplace/index.html', parent: null, processId: 1, routingId: 1 };
  win.webContents.mainFrame = mainFrame;
  const handler = h.ipcMain.handle.mock.calls.find(([c]) => c === channel)![1] as (e: unknown, p: unknown) => Promise<unknown>;
  return (payload) => handler({ sender: win.webContents, senderFrame: mainFrame }, payload);
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
    const getSettings = invokeFromPage('settings:get');
    await vi.waitFor(() => expect((h.state.windows[0] as InstanceType<typeof h.BrowserWindow>).loadURL).toHaveBeenCalled());
    await expect(getSettings({})).resolves.toMatchObject({ ok: true });
    h.state.loadPending = false;
  });

  it('shows the window while the backend is still starting; IPC waits for the backend', async () => {
    let finish!: (b: unknown) => void;
    const invoke = vi.fn(async () => ({ ok: true, value: { theme: 'system', fontSize: 14 } }));
    h.createBackend.mockImplementationOnce(() => new Promise((resolve) => (finish = resolve)) as never);
    await loadMain();
    h.state.ready!();
    await vi.waitFor(() => expect(h.state.windows).toHaveLength(1));
    const reply = invokeFromPage('settings:get')({});
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

  describe('live on the desktop (tray and answer notifications, both opt-in)', () => {
    type Invoke = (channel: string, request: unknown) => Promise<{ ok: boolean; value?: unknown }>;
    /** A backend whose settings say `desktop`, and that records what is invoked on it. */
    function backendWith(desktop: { notifyOnAnswer?: boolean; trayEnabled?: boolean }) {
      const calls: string[] = [];
      let settings: Record<string, unknown> = { theme: 'system', fontSize: 14, ...desktop };
      const invoke = vi.fn<Invoke>(async (channel, request) => {
        calls.push(channel);
        if (channel === 'settings:get') return { ok: true, value: settings };
        if (channel === 'settings:update') return { ok: true, value: (settings = { ...settings, ...(request as object) }) };
        if (channel === 'node:status') return { ok: true, value: { configured: true, state: 'serving', inFlight: 0, served: 3 } };
        if (channel === 'conversations:list') return { ok: true, value: [{ id: 'c1', title: 'secret plans', createdAt: new Date(2026, 11, 1, 14, 2).getTime() }] };
        return { ok: true, value: undefined };
      });
      h.createBackend.mockImplementationOnce(async () => ({ invoke, close: vi.fn(async () => undefined) }) as never);
      return { calls, invoke };
    }
    const emitOf = () => (h.createBackend.mock.calls[0] as unknown as [{ emit(channel: string, payload: unknown): void }])[0].emit;
    const windowOf = () => h.state.windows[0] as InstanceType<typeof h.BrowserWindow> & { webContents: { send?: unknown } };

    beforeEach(() => {
      h.Tray.made = [];
      h.Notification.made = [];
    });

    it('off by default: no tray, closing the window closes it, and no notification', async () => {
      backendWith({});
      await loadMain();
      await ready();
      await new Promise((r) => setTimeout(r, 20));
      expect(h.Tray.made).toEqual([]);
      const event = { preventDefault: vi.fn() };
      windowOf().emit('close', event);
      expect(event.preventDefault).not.toHaveBeenCalled();
      windowOf().isFocused.mockReturnValue(false);
      emitOf()('events:chat', { type: 'answer', conversationId: 'c1', message: { id: 'a', role: 'assistant', content: 'the answer', createdAt: 1, status: 'complete' } });
      await new Promise((r) => setTimeout(r, 20));
      expect(h.Notification.made).toEqual([]);
    });

    it('with the tray on: closing hides the window, the tray shows the node and stops it, Quit really closes', async () => {
      const { calls } = backendWith({ trayEnabled: true });
      await loadMain();
      await ready();
      await vi.waitFor(() => expect(h.Tray.made).toHaveLength(1));
      const tray = h.Tray.made[0]!;
      await vi.waitFor(() => expect(tray.setToolTip).toHaveBeenLastCalledWith('token.place — node serving'));
      const menu = (tray.setContextMenu.mock.calls.at(-1)![0] as { template: { label?: string; enabled?: boolean; click?: () => void }[] }).template;
      expect(menu.map((i) => i.label).filter(Boolean)).toEqual(['This computer’s node: serving', 'Open token.place', 'Stop serving', 'Quit token.place']);

      const close = { preventDefault: vi.fn() };
      windowOf().emit('close', close);
      expect(close.preventDefault).toHaveBeenCalled();
      expect(windowOf().hide).toHaveBeenCalled();
      h.app.emit('window-all-closed');
      expect(h.app.quit).not.toHaveBeenCalled();

      menu.find((i) => i.label === 'Stop serving')!.click!();
      await vi.waitFor(() => expect(calls).toContain('node:stop'));
      emitOf()('events:node', { configured: true, state: 'stopped', inFlight: 0, served: 3 });
      const after = (tray.setContextMenu.mock.calls.at(-1)![0] as { template: { label?: string }[] }).template;
      expect(after.map((i) => i.label)).toContain('Start serving');
      menu.find((i) => i.label === 'Open token.place')!.click!();
      await vi.waitFor(() => expect(windowOf().show).toHaveBeenCalled());

      h.app.emit('before-quit', { preventDefault: vi.fn() });
      const closing = { preventDefault: vi.fn() };
      windowOf().emit('close', closing);
      expect(closing.preventDefault).not.toHaveBeenCalled();
      expect(tray.destroy).toHaveBeenCalled();
    });

    it('switching the tray off in Settings removes it, and closing closes again', async () => {
      backendWith({ trayEnabled: true });
      await loadMain();
      await ready();
      await vi.waitFor(() => expect(h.Tray.made).toHaveLength(1));
      await invokeFromPage('settings:update')({ trayEnabled: false });
      expect(h.Tray.made[0]!.destroy).toHaveBeenCalled();
      const close = { preventDefault: vi.fn() };
      windowOf().emit('close', close);
      expect(close.preventDefault).not.toHaveBeenCalled();
    });

    it('notifies of a finished answer while the window is not focused, naming the chat by its start, never its text; a click opens it', async () => {
      backendWith({ notifyOnAnswer: true });
      await loadMain();
      await ready();
      await new Promise((r) => setTimeout(r, 20));
      const win = windowOf();
      const send = win.webContents.send as ReturnType<typeof vi.fn>;
      const answer = { type: 'answer', conversationId: 'c1', message: { id: 'a', role: 'assistant', content: 'the answer text', createdAt: 1, status: 'complete' } };
      // focused: the user sees it arrive
      emitOf()('events:chat', answer);
      await new Promise((r) => setTimeout(r, 20));
      expect(h.Notification.made).toEqual([]);

      win.isFocused.mockReturnValue(false);
      emitOf()('events:chat', answer);
      await vi.waitFor(() => expect(h.Notification.made).toHaveLength(1));
      const shown = h.Notification.made[0]!;
      expect(shown.show).toHaveBeenCalled();
      expect(shown.options.title).toBe('Answer ready');
      expect(shown.options.body).toMatch(/^The chat you started (today|on .+?) at (14|02):02( PM)? has a new answer\. Click to open it\.$/);
      expect(JSON.stringify(shown.options)).not.toMatch(/answer text|secret plans/);

      // The page itself still may not show notifications, with the setting on: main shows them.
      const page = { isMainFrame: true, requestingUrl: 'app://tokenplace/index.html' };
      const request = h.session.setPermissionRequestHandler.mock.calls[0]![0] as (w: unknown, p: string, cb: (ok: boolean) => void, d: unknown) => void;
      const allowed = vi.fn();
      request({}, 'notifications', allowed, page);
      expect(allowed).toHaveBeenCalledWith(false);
      const check = h.session.setPermissionCheckHandler.mock.calls[0]![0] as (w: unknown, p: string, o: string, d: unknown) => boolean;
      expect(check({}, 'notifications', 'app://tokenplace', page)).toBe(false);

      shown.emit('click');
      await vi.waitFor(() => expect(send).toHaveBeenCalledWith('events:window', { type: 'openConversation', conversationId: 'c1' }));
      expect(win.show).toHaveBeenCalled();
      expect(win.focus).toHaveBeenCalled();
    });
  });
});
