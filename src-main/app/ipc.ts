// ipcMain glue: one handler per contract channel. Each handler checks the sender and carries the
// call to the backend, whose edge parses the request and answers with an IpcResult (failures
// already mapped to plain words). Events from the backend go to our window only.
import type { BrowserWindow, IpcMain } from 'electron';
import { ERROR_REGISTRY } from '../../src-shared/errors';
import {
  eventChannels,
  invokeChannels,
  type EventChannel,
  type EventPayload,
  type InvokeChannel,
  type IpcError,
  type IpcResult,
} from '../../src-shared/ipc/contract';
import type { Backend } from '../backend';
import type { UrlPolicy } from './app-origin';
import { isTrustedSender } from './ipc-sender';

export type BackendLike = Pick<Backend, 'invoke'>;

export interface IpcGlueDeps {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  backend: BackendLike;
  getWindow(): BrowserWindow | null;
  policy: UrlPolicy;
  /** Told about refused senders (never payloads). */
  log?(message: string): void;
}

export const UNTRUSTED_SENDER: IpcError = { code: 'forbidden', message: ERROR_REGISTRY.forbidden.message };

/** Registers every invoke channel; returns a function that removes them again. */
export function registerIpcHandlers(deps: IpcGlueDeps): () => void {
  const channels = Object.keys(invokeChannels) as InvokeChannel[];
  for (const channel of channels) {
    deps.ipcMain.handle(channel, async (event, payload: unknown): Promise<IpcResult> => {
      if (!isTrustedSender(event, deps.getWindow(), deps.policy)) {
        deps.log?.(`refused ${channel} from an untrusted sender`);
        return { ok: false, error: UNTRUSTED_SENDER };
      }
      return deps.backend.invoke(channel, payload);
    });
  }
  return () => {
    for (const channel of channels) deps.ipcMain.removeHandler(channel);
  };
}

/** The backend's `emit`: validates the payload and sends it to our window's main frame only. */
export function createEventSink(getWindow: () => BrowserWindow | null, policy: UrlPolicy) {
  return function emit<C extends EventChannel>(channel: C, payload: EventPayload<C>): void {
    const window = getWindow();
    if (!window || window.isDestroyed() || window.webContents.isDestroyed()) return;
    if (!policy.isOwnUrl(window.webContents.getURL())) return;
    const parsed = eventChannels[channel].safeParse(payload);
    if (!parsed.success) throw new TypeError(`Refusing to send an invalid ${channel} payload`);
    window.webContents.send(channel, parsed.data);
  };
}
