// §12: the embedded relay answers only the app that started it. Every request must name the
// relay's own loopback address in `Host` (a DNS-rebinding page sends its own name) and carry the
// launch secret in `x-tokenplace-launch-secret` (a page on another origin cannot know it).
import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { LAUNCH_SECRET_HEADER } from '../../../src-shared/protocol/relay-http';
import { HostNotAllowedError, LaunchSecretError } from './access-errors';
import { secretMatches } from './secret-match';

/** A new launch secret: 32 random bytes, base64url without padding (43 characters). */
export function generateLaunchSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** `Host` values of a relay bound to `bindHost:port`: that address, and `localhost` on the same port. */
export function ownHostsOf(bindHost: string, port: number): ReadonlySet<string> {
  const literal = bindHost.includes(':') && !bindHost.startsWith('[') ? `[${bindHost}]` : bindHost;
  return new Set([`${literal.toLowerCase()}:${port}`, `localhost:${port}`]);
}

/** Throws the §12 refusal for a request that is not the app's own; `ownHosts` is read per request (the port is known once listening). */
export function checkEmbeddedAccess(request: FastifyRequest, launchSecret: string, ownHosts: () => ReadonlySet<string>): void {
  const host = request.headers.host?.toLowerCase();
  if (host === undefined || !ownHosts().has(host)) throw new HostNotAllowedError();
  if (!secretMatches(request.headers[LAUNCH_SECRET_HEADER], launchSecret)) throw new LaunchSecretError();
}
