// Guards for every webContents the app creates: no navigation away from our origin, no new
// windows (http(s) links go to the system browser), no <webview>, and every permission denied.
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

/** No camera, microphone, notifications, geolocation, clipboard, HID, serial, USB… */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => {
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => {
    callback({});
  });
}
