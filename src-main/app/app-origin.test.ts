import { describe, expect, it } from 'vitest';
import { createUrlPolicy } from './app-origin';

describe('UrlPolicy', () => {
  it('in a built app, only app://tokenplace is ours', () => {
    const policy = createUrlPolicy(undefined);
    expect(policy.entryUrl).toBe('app://tokenplace/index.html');
    expect(policy.development).toBe(false);
    expect(policy.isOwnUrl('app://tokenplace/index.html#/chat')).toBe(true);
    for (const url of ['app://other/index.html', 'file:///etc/passwd', 'https://tokenplace/', 'http://localhost:5173/', 'nonsense']) {
      expect(policy.isOwnUrl(url), url).toBe(false);
    }
  });

  it('in development, only the loopback dev server origin is ours', () => {
    const policy = createUrlPolicy('http://localhost:5173/');
    expect(policy.development).toBe(true);
    expect(policy.entryUrl).toBe('http://localhost:5173/');
    expect(policy.isOwnUrl('http://localhost:5173/src/main.tsx')).toBe(true);
    expect(policy.isOwnUrl('http://localhost:5174/')).toBe(false);
    expect(policy.isOwnUrl('app://tokenplace/index.html')).toBe(false);
    expect(() => createUrlPolicy('https://evil.example/')).toThrow(/loopback/);
  });
});
