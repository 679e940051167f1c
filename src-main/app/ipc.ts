// ipcMain glue: one handler per contract channel. Each handler checks the sender, validates the
// request against the contract schema, forwards it to the backend and returns an IpcResult.
// Events from the backend go to our window only.
import type { BrowserWindow, IpcMain } from 'electron';
import {
  eventChannels,
  invokeChannels,
  type EventChannel,
  type EventPayload,
  type InvokeChannel,
  type IpcError,
} from '../../src-shared/ipc/contract';
import type { IpcResult } from '../preload/ipc-result';
import type { UrlPolicy } from './app-origin';
import { isTrustedSender } from './ipc-sender';

export interface BackendLike {
  handle(channel: string, request: unknown): Promise<unknown>;
}

export interface IpcGlueDeps {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  backend: BackendLike;
  getWindow(): BrowserWindow | null;
  policy: UrlPolicy;
  /** Told about refused senders and internal failures (never payloads). */
  log?(message: string): void;
}

export const UNTRUSTED_SENDER: IpcError = { code: 'forbidden', message: 'This request did not come from the app window.' };
const INTERNAL: IpcError = { code: 'internal', message: 'Something went wrong inside the app.' };

function toIpcError(error: unknown): IpcError {
  if (error && typeof error === 'object') {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && typeof message === 'string') return { code, message };
  }
  return INTERNAL;
}

function badRequest(issues: { path: PropertyKey[]; message: string }[]): IpcError {
  const first = issues[0];
  const where = first && first.path.length ? ` (${first.path.map(String).join('.')})` : '';
  return { code: 'bad_request', message: `The request is not valid${where}: ${first?.message ?? 'invalid input'}` };
}

/** Registers every invoke channel; returns a function that removes them again. */
export function registerIpcHandlers(deps: IpcGlueDeps): () => void {
  const channels = Object.keys(invokeChannels) as InvokeChannel[];
  for (const channel of channels) {
    const schema = invokeChannels[channel].request;
    deps.ipcMain.handle(channel, async (event, payload: unknown): Promise<IpcResult> => {
      if (!isTrustedSender(event, deps.getWindow(), deps.policy)) {
        deps.log?.(`refused ${channel} from an untrusted sender`);
        return { ok: false, error: UNTRUSTED_SENDER };
      }
      const parsed = schema.safeParse(payload);
      if (!parsed.success) return { ok: false, error: badRequest(parsed.error.issues) };
      try {
        const value = await deps.backend.handle(channel, parsed.data);
        return { ok: true, value };
      } catch (error) {
        const ipcError = toIpcError(error);
        if (ipcError === INTERNAL) deps.log?.(`${channel} failed: ${(error as Error)?.name ?? 'error'}`);
        return { ok: false, error: ipcError };
      }
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
