// The Content-Security-Policy of the app: only our own scripts and styles, no eval, no inline
// script, no network from the page (it talks to main over IPC only). React sets `style` through
// the CSSOM, which CSP does not block, so style-src needs no 'unsafe-inline'. script-src names
// the app origin instead of 'self' (same meaning here) so it cannot widen if the page is ever
// served from somewhere else.
import type { Session } from 'electron';

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src app://tokenplace; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; media-src 'none'; worker-src 'none'; manifest-src 'none'; frame-src 'none'; child-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";

/** Headers added to every app:// response. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * Defence in depth for a built app: any response the session loads outside app:// gets the same
 * policy too. Not in development: the Vite dev server needs inline scripts for hot reload.
 * The policy is spelled out as a literal here so static checkers (electronegativity) can read
 * it; csp.test.ts proves it equals CONTENT_SECURITY_POLICY.
 */
export function enforceCspOnSession(session: Pick<Session, 'webRequest'>): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [
          "default-src 'none'; script-src app://tokenplace; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; media-src 'none'; worker-src 'none'; manifest-src 'none'; frame-src 'none'; child-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'",
        ],
      },
    });
  });
}
