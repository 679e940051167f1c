// Why a Redis command or connection failed, in words an operator can act on, and the Redis URL
// as it may be shown (never its password).

/** `redis://user:secret@host:6379/0` -> `redis://user@host:6379/0`; a URL that does not parse is not repeated. */
export function redisUrlForDisplay(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return 'the Redis URL given';
  }
}

const CODES: readonly [RegExp, string][] = [
  [/ECONNREFUSED/, 'connection refused'],
  [/ENOTFOUND|EAI_AGAIN/, 'host not found'],
  [/ECONNRESET|EPIPE/, 'connection reset'],
  [/EHOSTUNREACH|ENETUNREACH/, 'host unreachable'],
  [/ETIMEDOUT|timed out/i, 'timed out'],
  [/CLUSTERDOWN/, 'cluster down'],
];

/** One line naming the failure: `err` is what ioredis gave; `connection` the connection's last error, if any. */
export function redisFailureReason(err: unknown, connection?: unknown): string {
  const line = (e: unknown) => (e instanceof Error ? (e.message.split('\n')[0] ?? e.name) : String(e));
  const text = line(err);
  if (/\b(WRONGPASS|NOAUTH|NOPERM)\b/.test(text)) return `authentication failed (${text})`;
  for (const [pattern, words] of CODES) if (pattern.test(text) || pattern.test((err as { code?: string })?.code ?? '')) return words;
  // A command refused because the connection is gone says only that: its cause is the connection's.
  if (/max retries|Connection is closed|isn't writeable|connection closed/i.test(text)) {
    return connection !== undefined && connection !== err ? `connection lost (${redisFailureReason(connection)})` : 'connection lost';
  }
  return text;
}
