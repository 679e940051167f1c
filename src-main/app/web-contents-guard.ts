// Guards for every webContents the app creates: no navigation away from our origin, no new
// windows (http(s) links go to the system browser), no <webview>, and no permissions beyond
// writing to the clipboard from our own page.
import type { Session, WebContents } from 'electron';
import type { UrlPolicy } from './app-origin';
import { isHttpUrl } from './external-links';

type OpenExternal = (url: string) => void;

export function guardNavigation(contents: WebContents, policy: UrlPolicy, openExternal: OpenExternal): void {
  contents.on('will-navigate', (event) => {
    if (!policy.isOwnUrl(event.url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!policy.isOwnUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!policy.isOwnUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isHttpUrl(url)) openExternal(url);
    return { action: 'deny' };
  });
}

/**
 * Permissions a page may get: only writing to the clipboard (the copy buttons use
 * navigator.clipboard.writeText; Chromium sanitizes it and allows it only during a user
 * gesture), and only for the main frame of our own page. Reading the clipboard, camera,
 * microphone, notifications, geolocation, HID, serial, USB, screen capture… are all denied.
 * (Answer notifications, an opt-in setting, are shown by main itself: notifications.ts.)
 */
const GRANTABLE = new Set<string>(['clipboard-sanitized-write']);

export function restrictPermissions(session: Session, policy: UrlPolicy): void {
  const ownMainFrame = (isMainFrame: boolean, url: string | undefined) => isMainFrame && url !== undefined && policy.isOwnUrl(url);
  session.setPermissionRequestHandler((_webContents, permission, callback, details) => {
    callback(GRANTABLE.has(permission) && ownMainFrame(details.isMainFrame, details.requestingUrl));
  });
  session.setPermissionCheckHandler(
    (_webContents, permission, requestingOrigin, details) =>
      GRANTABLE.has(permission) && ownMainFrame(details.isMainFrame, details.requestingUrl ?? requestingOrigin),
  );
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => {
    callback({});
  });
}
