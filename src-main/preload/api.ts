// Builds the object the preload exposes as `window.tokenplace`: one named method per contract
// channel (`tokenplace.conversations.list(req)` invokes `conversations:list`) and one subscribe
// function per event topic (`tokenplace.events.chat(listener)`), nothing generic.
import { ERROR_REGISTRY } from '../../src-shared/errors';
import type { IpcError, IpcResult, TokenPlaceApi } from '../../src-shared/ipc/contract';
import { eventChannelNames, invokeChannelNames } from './channels';

/** The part of ipcRenderer the API needs (typed loosely so tests can pass a fake). */
export interface RendererIpc {
  invoke(channel: string, payload: unknown): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
}

function split(channel: string): [string, string] {
  const at = channel.indexOf(':');
  return [channel.slice(0, at), channel.slice(at + 1)];
}

/** Rejects with the IpcError main sent ({code, message}: the renderer reads both). */
function unwrap(result: unknown): unknown {
  const r = result as IpcResult | undefined;
  if (r && r.ok === true) return r.value;
  if (r && r.ok === false) throw { code: r.error.code, message: String(r.error.message) } satisfies IpcError;
  throw { code: 'internal', message: ERROR_REGISTRY.internal.message } satisfies IpcError;
}

export function buildTokenPlaceApi(ipc: RendererIpc): TokenPlaceApi {
  const api: Record<string, Record<string, unknown>> = {};
  for (const channel of invokeChannelNames) {
    const [namespace, method] = split(channel);
    (api[namespace] ??= {})[method] = (request: unknown) => ipc.invoke(channel, request).then(unwrap);
  }
  const events: Record<string, unknown> = {};
  for (const channel of eventChannelNames) {
    const [, topic] = split(channel);
    events[topic] = (listener: (payload: unknown) => void) => {
      if (typeof listener !== 'function') throw new TypeError(`events.${topic} needs a listener function`);
      // Only the payload reaches the page, never the IpcRendererEvent (it carries `sender`).
      const forward = (_event: unknown, payload: unknown) => listener(payload);
      ipc.on(channel, forward);
      return () => {
        ipc.removeListener(channel, forward);
      };
    };
  }
  api.events = events;
  for (const namespace of Object.values(api)) Object.freeze(namespace);
  return Object.freeze(api) as unknown as TokenPlaceApi;
}
