// Constant-time comparison of presented secrets (relay tokens, the metrics token, the launch
// secret): both sides are hashed to 32 bytes first, so neither the content nor the length of the
// expected secret shows in the time a refusal takes.
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** True when `presented` is a non-empty string equal to one of `expected` (every candidate is compared). */
export function secretMatches(presented: unknown, expected: string | readonly string[]): boolean {
  const candidates = typeof expected === 'string' ? [expected] : expected;
  const given = digest(typeof presented === 'string' ? presented : '');
  let ok = false;
  for (const candidate of candidates) ok = timingSafeEqual(given, digest(candidate)) || ok;
  return ok && typeof presented === 'string' && presented !== '';
}

/** The token of an `Authorization: Bearer <token>` header, else undefined. */
export function bearerTokenOf(header: unknown): string | undefined {
  return typeof header === 'string' ? /^Bearer (.+)$/.exec(header)?.[1] : undefined;
}
