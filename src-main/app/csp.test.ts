import { describe, expect, it, vi } from 'vitest';
import { APP_ORIGIN } from './app-origin';
import { CONTENT_SECURITY_POLICY, enforceCspOnSession } from './csp';

function directives(policy: string): Map<string, string> {
  return new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values.join(' ')]));
}

describe('CSP', () => {
  it('allows only our own scripts and styles, no eval, no inline, no network', () => {
    const d = directives(CONTENT_SECURITY_POLICY);
    expect(d.get('default-src')).toBe("'none'");
    expect(d.get('script-src')).toBe(APP_ORIGIN);
    expect(d.get('style-src')).toBe("'self'");
    expect(d.get('img-src')).toBe("'self' data:");
    expect(d.get('font-src')).toBe("'self'");
    expect(d.get('connect-src')).toBe("'none'");
    for (const name of ['base-uri', 'form-action', 'frame-ancestors', 'object-src', 'worker-src', 'frame-src']) expect(d.get(name)).toBe("'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-|wasm-unsafe|\*|http:|https:|blob:/);
  });

  it('is exactly the policy it was before maths, diagrams and attachments came (they loosen nothing)', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'none'; script-src app://tokenplace; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; media-src 'none'; worker-src 'none'; manifest-src 'none'; frame-src 'none'; child-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'",
    );
  });

  it('adds the same policy to every response of the session, keeping other headers', () => {
    const onHeadersReceived = vi.fn();
    enforceCspOnSession({ webRequest: { onHeadersReceived } } as never);
    const listener = onHeadersReceived.mock.calls[0]![0] as (d: unknown, cb: (r: unknown) => void) => void;
    const callback = vi.fn();
    listener({ responseHeaders: { 'content-type': ['text/html'] } }, callback);
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: { 'content-type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
});
