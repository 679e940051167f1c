import { describe, expect, it } from 'vitest';
import {
  CLIENT_SIDE_ERROR_CODES,
  NODE_ERROR_CODES,
  PICK_ANOTHER_NODE_CODES,
  RELAY_ERROR_CODES,
} from '../../src-shared/protocol/error-codes';
import { CLIENT_ERROR_CODES } from '../../src-shared/errors';
import { parseCliArgs } from './cli-args';
import { ChatError } from './errors';
import { hasSpecificMessage, userMessageFor } from './user-messages';

describe('error code → user message', () => {
  it('has a specific message for every §5.4 code and every client failure kind', () => {
    const all = [...NODE_ERROR_CODES, ...CLIENT_SIDE_ERROR_CODES, ...PICK_ANOTHER_NODE_CODES, ...RELAY_ERROR_CODES, ...CLIENT_ERROR_CODES];
    const missing = all.filter((c) => !hasSpecificMessage(c));
    expect(missing).toEqual([]);
    for (const c of all) expect(userMessageFor(c).message.length, c).toBeGreaterThan(10);
  });

  it('maps numeric relay statuses and unknown codes to generic text', () => {
    expect(userMessageFor('http_401')).toMatchObject({ retryable: false });
    expect(userMessageFor('http_503')).toMatchObject({ retryable: true });
    expect(userMessageFor('http_429').message).toMatch(/rate limiting/);
    expect(userMessageFor('compute_node_new_thing').message).toMatch(/node reported an error/);
    expect(userMessageFor('zzz').message).toBe('The request failed.');
    for (const inherited of ['toString', 'constructor', '__proto__']) {
      expect(userMessageFor(inherited), inherited).toEqual({ message: 'The request failed.', retryable: false });
      expect(hasSpecificMessage(inherited), inherited).toBe(false);
    }
  });

  it('ChatError carries code, user message and retryable', () => {
    const e = new ChatError('no_available_capacity', { httpStatus: 503 });
    expect(e).toMatchObject({ code: 'no_available_capacity', retryable: true, httpStatus: 503, name: 'ChatError' });
    expect(e.userMessage).toMatch(/busy/);
  });
});

describe('tokenplace-chat arguments', () => {
  const env = {};
  it('parses every option', () => {
    const r = parseCliArgs(
      ['--server', 'http://127.0.0.1:5000/', '--model', 'm', '--context-tier', '64k-full', '--system', 'be brief', '--timeout', '2.5', '--max-tokens', '64', '--temperature', '0', '--json', 'hello', 'world'],
      env,
    );
    expect(r).toEqual({
      kind: 'run',
      options: { server: 'http://127.0.0.1:5000', model: 'm', contextTier: '64k-full', system: 'be brief', timeoutMs: 2500, maxTokens: 64, temperature: 0, json: true, verbose: false, prompt: 'hello world' },
    });
  });

  it('uses TOKENPLACE_SERVER and leaves the prompt to stdin', () => {
    expect(parseCliArgs([], { TOKENPLACE_SERVER: 'https://token.place' })).toEqual({
      kind: 'run',
      options: { server: 'https://token.place', json: false, verbose: false },
    });
  });

  it('reports usage errors', () => {
    const cases: [string[], RegExp][] = [
      [['hi'], /--server URL is required/],
      [['--server', 'ftp://x', 'hi'], /--server: .*not http or https/],
      [['--server', 'http://x', '--context-tier', '16k', 'hi'], /--context-tier must be one of/],
      [['--server', 'http://x', '--timeout', '-1', 'hi'], /--timeout/],
      [['--server', 'http://x', '--max-tokens', '0', 'hi'], /--max-tokens/],
      [['--server', 'http://x', '--temperature', 'hot', 'hi'], /--temperature/],
      [['--server', 'http://x', '--bogus', 'hi'], /bogus/],
    ];
    for (const [argv, re] of cases) {
      const r = parseCliArgs(argv, env);
      expect(r.kind, argv.join(' ')).toBe('usage-error');
      expect(r.kind === 'usage-error' && r.message).toMatch(re);
    }
    expect(parseCliArgs(['--help'], env)).toEqual({ kind: 'help' });
  });
});
