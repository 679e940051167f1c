import { describe, expect, it, vi } from 'vitest';
import { ExternalLinkRefusedError, isHttpUrl, openInSystemBrowser } from './external-links';

describe('external links', () => {
  it('opens only http(s) URLs in the system browser', async () => {
    const shell = { openExternal: vi.fn(async () => undefined) };
    await openInSystemBrowser(shell, 'https://token.place/a?b=c');
    expect(shell.openExternal).toHaveBeenCalledWith('https://token.place/a?b=c', { activate: true });
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://h/s', 'ms-msdt:/id', 'app://tokenplace/', 'http://', 'not a url', '']) {
      expect(isHttpUrl(url), url).toBe(false);
      await expect(openInSystemBrowser(shell, url)).rejects.toBeInstanceOf(ExternalLinkRefusedError);
    }
    expect(shell.openExternal).toHaveBeenCalledTimes(1);
  });
});
