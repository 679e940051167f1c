import type { Session, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { createUrlPolicy } from './app-origin';
import { guardNavigation, restrictPermissions } from './web-contents-guard';

type Listener = (event: { url?: string; preventDefault(): void }) => void;

function fakeContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = {
    on: vi.fn((name: string, listener: Listener) => void listeners.set(name, listener)),
    setWindowOpenHandler: vi.fn((handler: typeof openHandler) => void (openHandler = handler)),
  };
  const fire = (name: string, url?: string) => {
    const event = { url, preventDefault: vi.fn() };
    listeners.get(name)!(event);
    return event.preventDefault.mock.calls.length > 0;
  };
  return { contents: contents as unknown as WebContents, fire, open: (url: string) => openHandler!({ url }) };
}

describe('navigation guard', () => {
  it('allows navigation within app://tokenplace only (navigate, frame-navigate, redirect)', () => {
    const { contents, fire } = fakeContents();
    guardNavigation(contents, createUrlPolicy(undefined), vi.fn());
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(fire(name, 'app://tokenplace/index.html#/settings'), name).toBe(false);
      for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://other/', 'javascript:alert(1)', 'http://localhost:5173/']) {
        expect(fire(name, url), `${name} ${url}`).toBe(true);
      }
    }
  });

  it('refuses to attach a <webview>', () => {
    const { contents, fire } = fakeContents();
    guardNavigation(contents, createUrlPolicy(undefined), vi.fn());
    expect(fire('will-attach-webview')).toBe(true);
  });

  it('denies every window.open and hands only http(s) links to the system browser', () => {
    const { contents, open } = fakeContents();
    const openExternal = vi.fn();
    guardNavigation(contents, createUrlPolicy(undefined), openExternal);
    expect(open('https://token.place/docs')).toEqual({ action: 'deny' });
    expect(open('http://example.com/')).toEqual({ action: 'deny' });
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'app://tokenplace/index.html', 'ms-settings:']) {
      expect(open(url)).toEqual({ action: 'deny' });
    }
    expect(openExternal.mock.calls).toEqual([['https://token.place/docs'], ['http://example.com/']]);
  });
});

describe('permissions', () => {
  function handlers() {
    const session = {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      setDevicePermissionHandler: vi.fn(),
      setDisplayMediaRequestHandler: vi.fn(),
    };
    restrictPermissions(session as unknown as Session, createUrlPolicy(undefined));
    const request = session.setPermissionRequestHandler.mock.calls[0]![0] as (
      w: unknown,
      p: string,
      cb: (ok: boolean) => void,
      d: { isMainFrame: boolean; requestingUrl: string },
    ) => void;
    const check = session.setPermissionCheckHandler.mock.calls[0]![0] as (
      w: unknown,
      p: string,
      origin: string,
      d: { isMainFrame: boolean; requestingUrl?: string },
    ) => boolean;
    const granted = (permission: string, details: { isMainFrame: boolean; requestingUrl: string }) => {
      const callback = vi.fn();
      request({}, permission, callback, details);
      expect(callback).toHaveBeenCalledTimes(1);
      return callback.mock.calls[0]![0] as boolean;
    };
    return { session, granted, check };
  }
  const own = { isMainFrame: true, requestingUrl: 'app://tokenplace/index.html' };

  it('denies every permission request and check, devices and screen capture', () => {
    const { session, granted, check } = handlers();
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'hid', 'serial', 'display-capture', 'unknown']) {
      expect(granted(permission, own), permission).toBe(false);
      expect(check({}, permission, 'app://tokenplace', own), permission).toBe(false);
    }
    expect((session.setDevicePermissionHandler.mock.calls[0]![0] as () => boolean)()).toBe(false);
    const display = vi.fn();
    (session.setDisplayMediaRequestHandler.mock.calls[0]![0] as (r: unknown, cb: unknown) => void)({}, display);
    expect(display).toHaveBeenCalledWith({});
  });

  it('grants only clipboard writes, and only to the main frame of our own page', () => {
    const { granted, check } = handlers();
    expect(granted('clipboard-sanitized-write', own)).toBe(true);
    expect(check({}, 'clipboard-sanitized-write', 'app://tokenplace', own)).toBe(true);
    expect(granted('clipboard-sanitized-write', { isMainFrame: false, requestingUrl: 'app://tokenplace/x.html' })).toBe(false);
    expect(granted('clipboard-sanitized-write', { isMainFrame: true, requestingUrl: 'https://evil.example/' })).toBe(false);
    expect(check({}, 'clipboard-sanitized-write', 'https://evil.example', { isMainFrame: true })).toBe(false);
    expect(check({}, 'clipboard-sanitized-write', 'app://tokenplace', { isMainFrame: false })).toBe(false);
  });
});
