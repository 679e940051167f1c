import { beforeEach, describe, expect, it, vi } from 'vitest';
import { eventChannels, invokeChannels, splitChannel } from '../../src-shared/ipc/contract';

const exposed = vi.hoisted(() => ({ key: '', api: undefined as unknown }));
const ipcRenderer = vi.hoisted(() => ({ invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn() }));

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => {
      exposed.key = key;
      exposed.api = api;
    },
  },
  ipcRenderer,
}));

type AnyApi = Record<string, Record<string, (...args: unknown[]) => unknown>>;

async function loadExposed(): Promise<AnyApi> {
  vi.resetModules();
  await import('./index');
  return exposed.api as AnyApi;
}

function contractShape(): Record<string, string[]> {
  const shape: Record<string, string[]> = {};
  for (const channel of Object.keys(invokeChannels)) {
    const { namespace, method } = splitChannel(channel);
    (shape[namespace] ??= []).push(method);
  }
  shape.events = Object.keys(eventChannels).map((c) => splitChannel(c).method);
  for (const list of Object.values(shape)) list.sort();
  return shape;
}

describe('preload', () => {
  beforeEach(() => {
    ipcRenderer.invoke.mockReset();
    ipcRenderer.on.mockReset();
    ipcRenderer.removeListener.mockReset();
  });

  it('exposes window.tokenplace with exactly the contract methods, all functions, frozen', async () => {
    const api = await loadExposed();
    expect(exposed.key).toBe('tokenplace');
    const shape: Record<string, string[]> = {};
    for (const [namespace, methods] of Object.entries(api)) {
      shape[namespace] = Object.keys(methods).sort();
      for (const fn of Object.values(methods)) expect(typeof fn).toBe('function');
    }
    expect(shape).toEqual(contractShape());
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.isFrozen(api.conversations)).toBe(true);
    // nothing generic
    for (const generic of ['invoke', 'send', 'on', 'ipcRenderer']) expect(api).not.toHaveProperty(generic);
  });

  it('maps a method to ipcRenderer.invoke on its channel and unwraps the reply', async () => {
    const api = await loadExposed();
    ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, value: [{ id: 'c1' }] });
    await expect(api.conversations!.list!({})).resolves.toEqual([{ id: 'c1' }]);
    expect(ipcRenderer.invoke).toHaveBeenCalledWith('conversations:list', {});
  });

  it('rejects with the IpcError shape when main reports a failure', async () => {
    const api = await loadExposed();
    ipcRenderer.invoke.mockResolvedValueOnce({ ok: false, error: { code: 'bad_request', message: 'Bad input' } });
    await expect(api.servers!.add!({})).rejects.toEqual({ code: 'bad_request', message: 'Bad input' });
    ipcRenderer.invoke.mockResolvedValueOnce(undefined);
    await expect(api.app!.info!({})).rejects.toMatchObject({ code: 'internal' });
  });

  it('events pass only the payload and return an unsubscribe function', async () => {
    const api = await loadExposed();
    const listener = vi.fn();
    const unsubscribe = api.events!.chat!(listener) as () => void;
    expect(ipcRenderer.on).toHaveBeenCalledTimes(1);
    const [channel, forward] = ipcRenderer.on.mock.calls[0] as [string, (e: unknown, p: unknown) => void];
    expect(channel).toBe('events:chat');
    forward({ sender: 'secret-ipc-object' }, { type: 'status' });
    expect(listener).toHaveBeenCalledWith({ type: 'status' });
    expect(listener.mock.calls[0]).toHaveLength(1);
    unsubscribe();
    expect(ipcRenderer.removeListener).toHaveBeenCalledWith('events:chat', forward);
    expect(() => api.events!.node!('not a function')).toThrow(TypeError);
  });
});
