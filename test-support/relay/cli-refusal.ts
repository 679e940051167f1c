// The message tokenplace-relay's option parsing refuses a command line with (a ConfigError), for
// the CLI tests; a command line it accepts fails the test.
import { expect } from 'vitest';
import { parseCli } from '../../src-main/relay/cli-options';
import { ConfigError } from '../../src-main/relay/config';

export function cliRefusal(argv: string[], env: NodeJS.ProcessEnv = {}): string {
  try {
    parseCli(argv, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error(`accepted ${argv.join(' ')}`);
}
