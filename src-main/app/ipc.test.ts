import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { invokeChannels, type IpcResult } from '../../src-shared/ipc/contract';
import { createUrlPolicy } from './app-origin';
import { createEventSink, registerIpcHandlers, UNTRUSTED_SENDER } from './ipc';

type Handler = (event: IpcMainInvokeEvent, payload: unknown) => Promise<unknown>;

function fakeFrame(url: string, over: Record<string, unknown> = {}) {
  return { url, parent: null, processId: 4, routingId: 1, ...over };
}

function setup(opts: { url?: string } = {}) {
  const mainFrame = fakeFrame(opts.url ?? 'app://tokenplace/index.html');
  const webContents = {
    mainFrame,
    isDestroyed: () => false,
    getURL: () => mainFrame.url,
    send: vi.fn(),
  };
  const window = { isDestroyed: () => false, webContents } as unknown as BrowserWindow;
  const handlers = new Map<string, Handler>();
  const ipcMain = {
    handle: vi.fn((channel: string, handler: Handler) => void handlers.set(channel, handler)),
    removeHandler: vi.fn((channel: string) => void handlers.delete(channel)),
  };
  const backend = { invoke: vi.fn(async (channel: string, request: unknown): Promise<IpcResult> => ({ ok: true, value: { channel, request } })) };
  const log = vi.fn();
  const policy = createUrlPolicy(undefined);
  const unregister = registerIpcHandlers({ ipcMain, backend, policy, getWindow: () => window, log });
  const goodEvent = { sender: webContents, senderFrame: mainFrame } as unknown as IpcMainInvokeEvent;
  const call = (channel: string, payload: unknown, event: IpcMainInvokeEvent = goodEvent) => handlers.get(channel)!(event, payload);
  return { handlers, ipcMain, backend, window, webContents, mainFrame, call, goodEvent, unregister, log, policy };
}

describe('IPC glue', () => {
  it('registers one handler for every contract channel and removes them again', () => {
    const { handlers, unregister } = setup();
    expect([...handlers.keys()].sort()).toEqual(Object.keys(invokeChannels).sort());
    unregister();
    expect(handlers.size).toBe(0);
  });

  it('forwards a valid request from our main frame to the backend and wraps the reply', async () => {
    const { call, backend } = setup();
    await expect(call('conversations:get', { id: 'c1' })).resolves.toEqual({
      ok: true,
      value: { channel: 'conversations:get', request: { id: 'c1' } },
    });
    expect(backend.invoke).toHaveBeenCalledWith('conversations:get', { id: 'c1' });
  });

  it('refuses senders that are not the main frame of our window on our origin', async () => {
    const { call, backend, webContents, mainFrame, log } = setup();
    const untrusted: [string, unknown][] = [
      ['another webContents', { sender: { ...webContents }, senderFrame: mainFrame }],
      ['a subframe', { sender: webContents, senderFrame: fakeFrame('app://tokenplace/x.html', { parent: mainFrame, routingId: 7 }) }],
      ['a different frame', { sender: webContents, senderFrame: fakeFrame('app://tokenplace/index.html', { routingId: 9 }) }],
      ['a foreign URL', { sender: webContents, senderFrame: { ...mainFrame, url: 'https://evil.example/' } }],
      ['a file URL', { sender: webContents, senderFrame: { ...mainFrame, url: 'file:///tmp/x.html' } }],
      ['a destroyed frame', { sender: webContents, senderFrame: null }],
    ];
    for (const [label, event] of untrusted) {
      await expect(call('conversations:list', {}, event as IpcMainInvokeEvent), label).resolves.toEqual({ ok: false, error: UNTRUSTED_SENDER });
    }
    expect(backend.invoke).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledWith('refused conversations:list from an untrusted sender');
  });

  it('refuses everything when our window is gone or shows a foreign page', async () => {
    const gone = setup();
    (gone.window as unknown as { isDestroyed: () => boolean }).isDestroyed = () => true;
    await expect(gone.call('app:info', {})).resolves.toEqual({ ok: false, error: UNTRUSTED_SENDER });
    const foreign = setup({ url: 'https://evil.example/' });
    await expect(foreign.call('app:info', {})).resolves.toEqual({ ok: false, error: UNTRUSTED_SENDER });
  });

  // Parsing the request and mapping failures to plain words are the backend edge's job (asserted
  // in backend.test.ts: 'backend: the edge'); the glue carries the payload and the answer as they are.
  it('carries the payload untouched and returns the backend\'s answer, failures included', async () => {
    const { call, backend } = setup();
    const refused: IpcResult = { ok: false, error: { code: 'bad_request', message: 'The request is not valid (id): too short' } };
    backend.invoke.mockResolvedValueOnce(refused);
    await expect(call('conversations:get', { id: '', extra: 1 })).resolves.toEqual(refused);
    expect(backend.invoke).toHaveBeenCalledWith('conversations:get', { id: '', extra: 1 });
    backend.invoke.mockResolvedValueOnce({ ok: false, error: { code: 'not_found', message: 'That conversation does not exist.' } });
    await expect(call('conversations:get', { id: 'x' })).resolves.toEqual({ ok: false, error: { code: 'not_found', message: 'That conversation does not exist.' } });
  });
});

describe('event sink', () => {
  it('sends valid events to our window only, and refuses invalid payloads', () => {
    const { window, webContents, policy } = setup();
    const emit = createEventSink(() => window, policy);
    const relay = { enabled: true, state: 'running', url: 'http://127.0.0.1:1', nodeCount: 1, restarts: 0 } as const;
    emit('events:relay', relay);
    expect(webContents.send).toHaveBeenCalledWith('events:relay', relay);
    expect(() => emit('events:relay', { state: 'nope' } as never)).toThrow(/invalid events:relay/);
    expect(webContents.send).toHaveBeenCalledTimes(1);
  });

  it('drops events when there is no window or it shows a foreign page', () => {
    const foreign = setup({ url: 'https://evil.example/' });
    createEventSink(() => foreign.window, foreign.policy)('events:servers', { activeId: 'a', servers: [] });
    expect(foreign.webContents.send).not.toHaveBeenCalled();
    expect(() => createEventSink(() => null, foreign.policy)('events:servers', { activeId: 'a', servers: [] })).not.toThrow();
  });
});
