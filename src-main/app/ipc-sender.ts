// Accepts an IPC message only from the main frame of our own window, showing our own page.
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import type { UrlPolicy } from './app-origin';

export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, window: BrowserWindow | null, policy: UrlPolicy): boolean {
  if (!window || window.isDestroyed()) return false;
  const contents = window.webContents;
  if (event.sender !== contents) return false;
  const frame = event.senderFrame;
  // senderFrame is null when the frame navigated away or was destroyed meanwhile.
  if (!frame || frame.parent !== null) return false;
  const main = contents.mainFrame;
  if (frame !== main && (frame.processId !== main.processId || frame.routingId !== main.routingId)) return false;
  return policy.isOwnUrl(frame.url);
}
