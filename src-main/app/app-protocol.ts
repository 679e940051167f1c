// The app:// protocol: serves files from the renderer build directory, and nothing outside it.
import { realpath, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Protocol } from 'electron';
import { APP_HOST, APP_SCHEME } from './app-origin';
import { SECURITY_HEADERS } from './csp';
import { mimeTypeFor } from './mime-types';

/** Must run before `app` is ready: a standard, secure scheme gets a real origin and web storage. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false, stream: false } },
  ]);
}

function refuse(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}

function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.split(sep).includes('..'));
}

/**
 * Maps an app:// request to a file under `rootDir`. Refuses other hosts, non-GET methods,
 * encoded NULs, `..` escapes (also percent-encoded ones) and symlinks that lead outside.
 */
export function createAppProtocolHandler(rootDir: string): (request: Request) => Promise<Response> {
  const root = resolve(rootDir);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'Method not allowed');
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return refuse(400, 'Bad request');
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return refuse(404, 'Not found');
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return refuse(400, 'Bad request');
    }
    if (pathname.includes('\0') || pathname.includes('\\')) return refuse(400, 'Bad request');
    if (pathname === '/' || pathname === '') pathname = '/index.html';
    const target = resolve(join(root, pathname));
    if (!isInside(root, target)) return refuse(403, 'Forbidden');
    try {
      const real = await realpath(target);
      if (!isInside(await realpath(root), real)) return refuse(403, 'Forbidden');
      if (!(await stat(real)).isFile()) return refuse(404, 'Not found');
      const body = request.method === 'HEAD' ? null : await readFile(real);
      return new Response(body, { status: 200, headers: { ...SECURITY_HEADERS, 'Content-Type': mimeTypeFor(real) } });
    } catch {
      return refuse(404, 'Not found');
    }
  };
}
