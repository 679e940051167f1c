// Secrets off the command line (issue 11 §5; docs/relay.md "Secrets"): token files for the relay
// and /metrics tokens, Redis credentials from the environment, one clear line when a file cannot
// be used, and a warning when a secret is a flag (visible in ps). Files are real; the relay and
// Redis they configure are real.
import * as fs from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseCli } from './cli-options';
import { runRelayCli } from './cli-run';
import { startRelay, type RunningRelay } from './index';
import { TestNode } from '../../test-support/relay/actors';
import { cliRefusal } from '../../test-support/relay/cli-refusal';
import { call } from '../../test-support/relay/http';
import { startLocalRedis, type LocalRedis } from '../../test-support/relay/redis-server';

vi.mock('node:fs', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:fs')>();
  return { ...original, readFileSync: vi.fn(original.readFileSync) };
});

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tp-relay-secrets-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const running: RunningRelay[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
});

async function secretFile(name: string, text: string, mode = 0o600): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  await chmod(path, mode);
  return path;
}

describe('token files', () => {
  it('--relay-token-file: one token per line (comments, blank lines, CRLF), added to --relay-token; the relay enforces them', async () => {
    const path = await secretFile('node-tokens', '# node tokens\r\nfile-token-one\r\n\r\n  file-token-two  \n');
    const settings = parseCli(['--port', '0', '--relay-token-file', path, '--relay-token', 'flag-token'], {});
    expect(settings.config.relayTokens).toEqual(['flag-token', 'file-token-one', 'file-token-two']);
    expect(parseCli([], { TOKENPLACE_RELAY_SERVER_TOKENS_FILE: path }).config.relayTokens).toEqual(['file-token-one', 'file-token-two']);

    const relay = await startRelay({ ...settings.config, rateLimits: { enabled: false } });
    running.push(relay);
    expect((await (await TestNode.create(relay.url)).register()).status).toBe(401);
    expect((await (await TestNode.create(relay.url, { token: 'file-token-two' })).register()).status).toBe(200);
  });

  it('--metrics-token-file: exactly one token, which /metrics then requires; not together with --metrics-token', async () => {
    const path = await secretFile('metrics-token', 'metrics-from-a-file-0123456789\n');
    const settings = parseCli(['--port', '0', '--metrics-token-file', path], {});
    expect(settings.config.metricsToken).toBe('metrics-from-a-file-0123456789');
    expect(settings.warnings).toEqual([]);
    const relay = await startRelay(settings.config);
    running.push(relay);
    expect((await call(relay.url, 'GET', '/metrics')).status).toBe(401);
    expect((await call(relay.url, 'GET', '/metrics', undefined, { authorization: 'Bearer metrics-from-a-file-0123456789' })).status).toBe(200);

    const two = await secretFile('two-tokens', 'first-secret\nsecond-secret\n');
    const message = cliRefusal(['--metrics-token-file', two]);
    expect(message).toBe(`--metrics-token-file: cannot use ${two}: it holds 2 tokens; keep exactly one line`);
    expect(message).not.toContain('secret\n');
    expect(message).not.toContain('first-secret');
    expect(cliRefusal(['--metrics-token', 'x', '--metrics-token-file', path])).toBe('give --metrics-token or --metrics-token-file, not both');
    expect(cliRefusal(['--metrics-token-file', path], { TOKENPLACE_RELAY_METRICS_TOKEN: 'x' })).toBe('give TOKENPLACE_RELAY_METRICS_TOKEN or --metrics-token-file, not both');
  });

  it('a missing, empty, unreadable or wrong file is refused in one line naming the flag, the file and what to do', async () => {
    const missing = join(dir, 'no-such-file');
    expect(cliRefusal(['--relay-token-file', missing])).toBe(`--relay-token-file: cannot use ${missing}: no such file; check the path`);
    expect(cliRefusal([], { TOKENPLACE_RELAY_METRICS_TOKEN_FILE: missing })).toBe(`TOKENPLACE_RELAY_METRICS_TOKEN_FILE: cannot use ${missing}: no such file; check the path`);

    const empty = await secretFile('empty', '');
    const onlyComments = await secretFile('only-comments', '# put the token here\n\n');
    expect(cliRefusal(['--relay-token-file', empty])).toBe(`--relay-token-file: cannot use ${empty}: it holds no token; write one token per line`);
    expect(cliRefusal(['--metrics-token-file', onlyComments])).toBe(`--metrics-token-file: cannot use ${onlyComments}: it holds no token; write the token on one line`);

    const folder = join(dir, 'a-folder');
    await mkdir(folder);
    expect(cliRefusal(['--relay-token-file', folder])).toBe(`--relay-token-file: cannot use ${folder}: it is a directory; give the token file itself`);

    const big = await secretFile('big', 'x'.repeat(70_000));
    expect(cliRefusal(['--metrics-token-file', big])).toBe(
      `--metrics-token-file: cannot use ${big}: 70000 bytes is too big for a token file (at most 65536); give the file that holds only the token`,
    );

    // Permission denied cannot be staged for root (which reads any file), so the read itself fails here.
    const denied = await secretFile('denied', 'a-token\n', 0o000);
    vi.mocked(fs.readFileSync).mockImplementationOnce(() => {
      throw Object.assign(new Error(`EACCES: permission denied, open '${denied}'`), { code: 'EACCES' });
    });
    expect(cliRefusal(['--relay-token-file', denied])).toBe(
      `--relay-token-file: cannot use ${denied}: permission denied; let the user running the relay read it (chmod 600, owned by that user)`,
    );
  });

  it('warns when a token file can be read by other users', async () => {
    const open = await secretFile('open-tokens', 'shared-token\n', 0o644);
    expect(parseCli(['--relay-token-file', open], {}).warnings).toEqual([`--relay-token-file: ${open} can be read by other users (mode 644); chmod 600 it`]);
  });
});

/** Runs the relay program in-process until it is listening (then stops it) or ends by itself. */
async function runOnce(argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const stop = new AbortController();
  const exited = runRelayCli({
    argv,
    env,
    stdout: {
      write: (s: string) => {
        out.push(s);
        if (s.includes('listening on')) stop.abort('test over');
      },
    },
    stderr: { write: (s: string) => err.push(s) },
    signal: stop.signal,
  });
  const code = await exited;
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('secrets given as flags', () => {
  it('warn, naming the flag and what to use instead; the same secrets from the environment or a file do not', () => {
    const { warnings } = parseCli(['--relay-token', 'node-secret', '--metrics-token', 'metrics-secret', '--redis', 'redis://relay:redis-secret@127.0.0.1:6379'], {});
    expect(warnings).toEqual([
      '--relay-token puts a secret on the command line, where other users of this machine can read it (ps); use --relay-token-file FILE or TOKENPLACE_RELAY_SERVER_TOKENS instead',
      '--metrics-token puts a secret on the command line, where other users of this machine can read it (ps); use --metrics-token-file FILE or TOKENPLACE_RELAY_METRICS_TOKEN instead',
      '--redis with a password puts a secret on the command line, where other users of this machine can read it (ps); use a URL without one and TOKENPLACE_RELAY_REDIS_PASSWORD instead',
    ]);
    for (const warning of warnings) expect(warning).not.toMatch(/node-secret|metrics-secret|redis-secret/);
    expect(
      parseCli(['--redis', 'redis://127.0.0.1:6379'], {
        TOKENPLACE_RELAY_SERVER_TOKENS: 'node-secret',
        TOKENPLACE_RELAY_METRICS_TOKEN: 'metrics-secret',
        TOKENPLACE_RELAY_REDIS_PASSWORD: 'redis-secret',
      }).warnings,
    ).toEqual([]);
    expect(parseCli([], { TOKENPLACE_RELAY_REDIS_URL: 'redis://:redis-secret@127.0.0.1:6379' }).warnings).toEqual([]);
  });

  it('the relay program prints each warning on stderr before it starts', async () => {
    const run = await runOnce(['--port', '0', '--quiet', '--relay-token', 'node-secret'], {});
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('listening on');
    expect(run.stderr.split('\n')[0]).toBe(
      'tokenplace-relay: warning: --relay-token puts a secret on the command line, where other users of this machine can read it (ps); use --relay-token-file FILE or TOKENPLACE_RELAY_SERVER_TOKENS instead',
    );
    expect(run.stderr).not.toContain('node-secret');
  });
});

describe('Redis credentials from the environment', () => {
  let redis: LocalRedis | undefined;
  afterAll(() => redis?.stop());

  it('TOKENPLACE_RELAY_REDIS_USERNAME/PASSWORD log the relay into a Redis that requires them; without them it cannot start', async () => {
    redis = await startLocalRedis(5000, ['--user', 'default', 'off', '--user', 'relay', 'on', '>redis-secret-pw', '~*', '&*', '+@all']);
    const env = { TOKENPLACE_RELAY_REDIS_USERNAME: 'relay', TOKENPLACE_RELAY_REDIS_PASSWORD: 'redis-secret-pw' };
    const settings = parseCli(['--port', '0', '--redis', redis.url], env);
    expect(settings.warnings).toEqual([]);
    const relay = await startRelay({ ...settings.config, rateLimits: { enabled: false } });
    running.push(relay);
    expect(relay.store.kind).toBe('redis');
    expect((await (await TestNode.create(relay.url)).register()).status).toBe(200);

    // The program says what to do, without the password; the bare error keeps Redis's own reason.
    const { host } = new URL(redis.url);
    const without = await runOnce(['--port', '0', '--quiet', '--redis', redis.url], {});
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(
      new RegExp(`^tokenplace-relay: could not start: Redis at ${host} refused the relay's login \\(NOAUTH [^)]*\\); give its ACL user and password in TOKENPLACE_RELAY_REDIS_USERNAME and TOKENPLACE_RELAY_REDIS_PASSWORD\n$`),
    );
    const wrong = await runOnce(['--port', '0', '--quiet', '--redis', redis.url], { ...env, TOKENPLACE_RELAY_REDIS_PASSWORD: 'not-it' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`Redis at ${host} refused the relay's login (WRONGPASS`);
    expect(wrong.stderr).not.toContain('not-it');
  });
});
