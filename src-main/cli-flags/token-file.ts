// Token files of the bins (a secret that need not be on the command line, where `ps` shows it to
// every user of the machine): reading one with a one-line message for every way it can be wrong,
// and the check that other users of the machine cannot read it.
import { readFileSync, statSync } from 'node:fs';
import { CliUsageError } from './flags';

/** A token file is a few lines; anything bigger is the wrong file. */
export const TOKEN_FILE_MAX_BYTES = 64 * 1024;

const IS_DIRECTORY = 'it is a directory; give the token file itself';

/** Why a token file could not be read, and what to do, by the error code of node:fs. */
function readFailure(code: string | undefined, runner: string): string {
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'no such file; check the path';
  if (code === 'EACCES' || code === 'EPERM') return `permission denied; let the user running ${runner} read it (chmod 600, owned by that user)`;
  if (code === 'EISDIR') return IS_DIRECTORY;
  return `it cannot be read (${code ?? 'unknown error'}); check the path and its permissions`;
}

/**
 * Tokens of a token file: one per line, blank lines and `#` comments skipped. `one`: the file must
 * hold exactly one. Every failure is one line naming `source` (the flag or variable that named the
 * file), the file, what is wrong and what to do (`runner`: who must be able to read it).
 */
export function readTokenFile(path: string, source: string, expect: 'one' | 'many', runner = 'this command'): string[] {
  const fail = (problem: string): never => {
    throw new CliUsageError(`${source}: cannot use ${path}: ${problem}`, source);
  };
  let text = '';
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) fail(IS_DIRECTORY);
    // A FIFO or device would block or never end: only a plain file (symlinks to one are fine).
    if (!stat.isFile()) fail('not a regular file; give a file holding the token');
    if (stat.size > TOKEN_FILE_MAX_BYTES) fail(`${stat.size} bytes is too big for a token file (at most ${TOKEN_FILE_MAX_BYTES}); give the file that holds only the token`);
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof CliUsageError) throw err;
    fail(readFailure((err as NodeJS.ErrnoException).code, runner));
  }
  const tokens = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (tokens.length === 0) fail(expect === 'one' ? 'it holds no token; write the token on one line' : 'it holds no token; write one token per line');
  if (expect === 'one' && tokens.length > 1) fail(`it holds ${tokens.length} tokens; keep exactly one line`);
  return tokens;
}

/** Why other users of the machine can read a token file (POSIX modes only), or undefined when they cannot. */
export function tokenFileExposure(path: string, source: string, platform: NodeJS.Platform = process.platform): string | undefined {
  if (platform === 'win32') return undefined;
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) === 0) return undefined;
  return `${source}: ${path} can be read by other users (mode ${mode.toString(8).padStart(3, '0')}); chmod 600 it`;
}
