// `tokenplace-chat` arguments: every option, the environment fallback and the usage errors.
import { describe, expect, it } from 'vitest';
import { CLI_USAGE, parseCliArgs } from './cli-args';

describe('tokenplace-chat arguments', () => {
  const env = {};
  it('parses every option', () => {
    const r = parseCliArgs(
      ['--server', 'http://127.0.0.1:5000/', '--model', 'm', '--context-tier', '64k-full', '--system', 'be brief', '--timeout', '2.5', '--max-tokens', '64', '--temperature', '0', '--json', 'hello', 'world'],
      env,
    );
    expect(r).toEqual({
      kind: 'run',
      options: { server: 'http://127.0.0.1:5000', model: 'm', contextTier: '64k-full', system: 'be brief', timeoutMs: 2500, maxTokens: 64, temperature: 0, json: true, stream: false, verbose: false, prompt: 'hello world' },
    });
  });

  it('uses TOKENPLACE_SERVER and leaves the prompt to stdin', () => {
    expect(parseCliArgs([], { TOKENPLACE_SERVER: 'https://token.place' })).toEqual({
      kind: 'run',
      options: { server: 'https://token.place', json: false, stream: true, verbose: false },
    });
    // --no-stream waits for the whole answer (--json always does).
    expect(parseCliArgs(['--server', 'http://x', '--no-stream', 'hi'], env)).toMatchObject({ options: { json: false, stream: false } });
  });

  it('reports usage errors', () => {
    const cases: [string[], RegExp][] = [
      [['hi'], /--server URL is required/],
      [['--server', 'ftp://x', 'hi'], /--server: .*not http or https/],
      [['--server', '127.0.0.1:5010', 'hi'], /^--server: 127\.0\.0\.1:5010 is not a URL \(it has no http:\/\/ or https:\/\/\); did you mean http:\/\/127\.0\.0\.1:5010\?$/],
      [['--server', 'http://x', '--context-tier', '16k', 'hi'], /--context-tier must be one of/],
      [['--server', 'http://x', '--timeout', '-1', 'hi'], /--timeout/],
      [['--server', 'http://x', '--max-tokens', '0', 'hi'], /--max-tokens/],
      [['--server', 'http://x', '--temperature', 'hot', 'hi'], /--temperature/],
      [['--server', 'http://x', '--bogus', 'hi'], /bogus/],
      [['--server', 'http://x', '--json=yes', 'hi'], /^--json takes no value$/],
      [['--server', 'http://x', '--max-tokens'], /^--max-tokens needs a value$/],
      [['--server', 'http://x', '--temperature', '-1', 'hi'], /^--temperature needs a value \(write --temperature=VALUE/],
      [['--server', 'http://x', '--temperature=-1', 'hi'], /^--temperature must be a number from 0 to 2$/],
    ];
    for (const [argv, re] of cases) {
      const r = parseCliArgs(argv, env);
      expect(r.kind, argv.join(' ')).toBe('usage-error');
      expect(r.kind === 'usage-error' && r.message).toMatch(re);
    }
    expect(parseCliArgs(['--help'], env)).toEqual({ kind: 'help' });
  });

  it('names the environment variable when the address came from there', () => {
    expect(parseCliArgs(['hi'], { TOKENPLACE_SERVER: 'ftp://x' })).toEqual({ kind: 'usage-error', message: 'TOKENPLACE_SERVER: scheme ftp: is not http or https' });
    expect(parseCliArgs(['--server', 'ftp://x', 'hi'], { TOKENPLACE_SERVER: 'http://ok' })).toMatchObject({ message: '--server: scheme ftp: is not http or https' });
  });

  it('lists every flag it accepts in --help', () => {
    for (const flag of ['--server URL', '--model M', '--context-tier T', '--system S', '--max-tokens N', '--temperature X', '--timeout SEC', '--json', '--verbose', '-h, --help']) {
      expect(CLI_USAGE).toContain(`  ${flag} `);
    }
  });
});
