// Serves the production renderer build (out/renderer) on 127.0.0.1 with the app's own
// Content-Security-Policy, so the e2e run proves the UI works under it. Two differences from the
// app:// origin, both forced by serving over http: script-src is 'self' (the app names
// app://tokenplace, same meaning), and connect-src admits loopback ports for the test bridge.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, resolve } from 'node:path';
import { CONTENT_SECURITY_POLICY, mimeTypeFor } from '../../src-main/app';

export function testCsp(): string {
  return CONTENT_SECURITY_POLICY.replace(/script-src [^;]+/, "script-src 'self'").replace(
    /connect-src [^;]+/,
    'connect-src http://127.0.0.1:* ws://127.0.0.1:*',
  );
}

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

export async function serveRenderer(dir = resolve(__dirname, '../../out/renderer')): Promise<StaticServer> {
  if (!existsSync(join(dir, 'index.html'))) throw new Error(`No renderer build in ${dir}: run npm run build`);
  const csp = testCsp();
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(dir, 'index.html');
    res.writeHead(200, {
      'Content-Type': mimeTypeFor(file),
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
