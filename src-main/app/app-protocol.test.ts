import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAppProtocolHandler, registerAppScheme } from './app-protocol';
import { CONTENT_SECURITY_POLICY } from './csp';

let base: string;
let root: string;
let handle: (request: Request) => Promise<Response>;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'tp-app-protocol-'));
  root = join(base, 'renderer');
  await mkdir(join(root, 'assets'), { recursive: true });
  await writeFile(join(root, 'index.html'), '<!doctype html><title>t</title>');
  await writeFile(join(root, 'assets', 'app-1.js'), 'console.log(1)');
  await writeFile(join(root, 'assets', 'app-1.css'), 'body{}');
  await writeFile(join(root, 'assets', 'font.woff2'), 'x');
  await writeFile(join(root, 'assets', 'blob.bin'), 'x');
  await writeFile(join(base, 'secret.txt'), 'outside');
  await symlink(join(base, 'secret.txt'), join(root, 'assets', 'link.txt'));
  handle = createAppProtocolHandler(root);
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const get = (url: string, method = 'GET') => handle(new Request(url, { method }));

describe('app:// protocol', () => {
  it('registers app as a standard, secure scheme', () => {
    const registerSchemesAsPrivileged = vi.fn();
    registerAppScheme({ registerSchemesAsPrivileged });
    expect(registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }),
    ]);
  });

  it('serves files with the right MIME type and the CSP on every response', async () => {
    const cases: [string, string][] = [
      ['app://tokenplace/', 'text/html; charset=utf-8'],
      ['app://tokenplace/index.html', 'text/html; charset=utf-8'],
      ['app://tokenplace/assets/app-1.js', 'text/javascript; charset=utf-8'],
      ['app://tokenplace/assets/app-1.css', 'text/css; charset=utf-8'],
      ['app://tokenplace/assets/font.woff2', 'font/woff2'],
      ['app://tokenplace/assets/blob.bin', 'application/octet-stream'],
    ];
    for (const [url, type] of cases) {
      const response = await get(url);
      expect(response.status, url).toBe(200);
      expect(response.headers.get('content-type')).toBe(type);
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect(await (await get('app://tokenplace/assets/app-1.js')).text()).toBe('console.log(1)');
    const missing = await get('app://tokenplace/nope.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('refuses path traversal in every spelling, symlinks out of the root, other hosts and methods', async () => {
    const refused = [
      'app://tokenplace/..%2fsecret.txt',
      'app://tokenplace/assets/..%2f..%2fsecret.txt',
      'app://tokenplace/%2e%2e%2fsecret.txt',
      'app://tokenplace/assets%5c..%5c..%5csecret.txt',
      'app://tokenplace/index.html%00.js',
      'app://tokenplace/%E0%A4%A',
      'app://tokenplace/assets/link.txt',
      'app://tokenplace/assets',
      'app://evil/index.html',
    ];
    for (const url of refused) {
      const response = await get(url);
      expect(response.status, url).toBeGreaterThanOrEqual(400);
      expect(await response.text(), url).not.toContain('outside');
    }
    // Plain `..` segments are normalised by the URL parser and stay inside the root.
    expect((await get('app://tokenplace/../../secret.txt')).status).toBe(404);
    expect((await get('app://tokenplace/index.html', 'POST')).status).toBe(405);
  });
});
