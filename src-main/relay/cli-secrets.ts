// Secrets of `tokenplace-relay` that need not be on the command line (where `ps` shows them to
// every user of the machine): token files (read by cli-flags' reader), Redis credentials from the
// environment, and the warnings the relay prints when a secret was passed as a flag anyway
// (docs/relay.md, "Secrets").
import { readTokenFile as readTokens } from '../cli-flags';

export { TOKEN_FILE_MAX_BYTES, tokenFileExposure as tokenFileWarning } from '../cli-flags';

/** The tokens of a token file (cli-flags' readTokenFile, its messages naming the relay). */
export function readTokenFile(path: string, source: string, expect: 'one' | 'many'): string[] {
  return readTokens(path, source, expect, 'the relay');
}

/** Environment variables holding Redis ACL credentials (never a flag: they would show in `ps`). */
export const REDIS_CREDENTIAL_ENV = { username: 'TOKENPLACE_RELAY_REDIS_USERNAME', password: 'TOKENPLACE_RELAY_REDIS_PASSWORD' } as const;

/** The warning for a secret given as a flag: where it is visible, and what to use instead. */
export function secretFlagWarning(flag: string, instead: string): string {
  return `${flag} puts a secret on the command line, where other users of this machine can read it (ps); use ${instead} instead`;
}

/** True when a Redis URL carries a password (`redis://user:pass@host`, `redis://:pass@host`). */
export function redisUrlHasPassword(url: string): boolean {
  try {
    return new URL(url).password !== '';
  } catch {
    return false;
  }
}
