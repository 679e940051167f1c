// TEST ONLY. Plain node:http servers on loopback for client tests.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Starts `server` on 127.0.0.1 at a free port; resolves with its base URL. */
export async function serveOnLoopback(server: http.Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A loopback URL whose port was free a moment ago and now has no listener (connection refused). */
export async function closedLoopbackUrl(): Promise<string> {
  const server = http.createServer();
  const url = await serveOnLoopback(server);
  await new Promise<void>((r) => server.close(() => r()));
  return url;
}
