import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserWindow } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createUrlPolicy } from './app-origin';
import { createMainWindow } from './main-window';
import { loadWindowBounds, saveWindowBounds } from './window-state';

class FakeWindow extends EventEmitter {
  static last: FakeWindow;
  webContents = Object.assign(new EventEmitter(), { closeDevTools: vi.fn() });
  loadURL = vi.fn(async () => undefined);
  show = vi.fn();
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeWindow.last = this;
  }
  getNormalBounds = () => ({ x: 50, y: 60, width: 1000, height: 700 });
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tp-main-window-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const deps = (development: boolean) => ({
  BrowserWindow: FakeWindow as unknown as typeof BrowserWindow,
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] as never },
  userDataDir: dir,
  preloadPath: '/app/out/preload/index.js',
  policy: createUrlPolicy(development ? 'http://localhost:5173/' : undefined),
});

describe('main window', () => {
  it('opens with remembered bounds, shows when ready and remembers bounds on close', async () => {
    await saveWindowBounds(dir, { x: 10, y: 20, width: 900, height: 650 });
    await createMainWindow(deps(false));
    const win = FakeWindow.last;
    expect(win.options).toMatchObject({ x: 10, y: 20, width: 900, height: 650, show: false });
    win.emit('ready-to-show');
    expect(win.show).toHaveBeenCalled();
    win.emit('close');
    await vi.waitFor(async () => expect(await loadWindowBounds(dir)).toEqual({ x: 50, y: 60, width: 1000, height: 700 }));
  });

  it('closes devtools in a built app and leaves them in development', async () => {
    await createMainWindow(deps(false));
    FakeWindow.last.webContents.emit('devtools-opened');
    expect(FakeWindow.last.webContents.closeDevTools).toHaveBeenCalled();
    await createMainWindow(deps(true));
    expect(FakeWindow.last.webContents.listenerCount('devtools-opened')).toBe(0);
  });
});
