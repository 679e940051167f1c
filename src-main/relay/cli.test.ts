// The headless relay: flags/env parsing, --help, clear config errors, and a real second process
// (bin/tokenplace-relay.js) sharing Redis with an in-process relay; SIGTERM stops it cleanly.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateRsaKeyPair } from '../crypto';
import { STREAM_LIMITS } from '../../src-shared/protocol/stream';
import { MIN_CLI_BODY_LIMIT_BYTES, helpText, parseCli } from './cli-options';
import { ConfigError } from './config';
import { startRelay, type RunningRelay } from './index';
import { TestClient, TestNode } from '../../test-support/relay/actors';
import { cliRefusal } from '../../test-support/relay/cli-refusal';
import { startLocalRedis, type LocalRedis } from '../../test-support/relay/redis-server';

const BIN = join(__dirname, '../../bin/tokenplace-relay.js');

describe('cli options', () => {
  it('reads flags over env, reference env names and budget strings', () => {
    const s = parseCli(['--port', '0', '--relay-token', 'a', '--relay-token', 'b', '--publish-node-keys', '--rate-limit-public', '5 per minute'], {
      TOKENPLACE_RELAY_PORT: '7000',
      TOKEN_PLACE_RELAY_SERVER_TOKEN: 'ignored-because-flag',
      TOKEN_PLACE_API_V1_RELAY_POLL_WAIT_SECONDS: '2.5',
      TOKENPLACE_RELAY_RATE_LIMIT_NODE_IDENTITY: 'poll=10,register=3',
      TOKENPLACE_RELAY_REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(s.config).toMatchObject({
      port: 0,
      relayTokens: ['a', 'b'],
      publishNodeKeys: true,
      pollWaitSeconds: 2.5,
      redisUrl: 'redis://127.0.0.1:1',
      rateLimits: { publicPerIp: [{ limit: 5, windowSeconds: 60 }], nodePerIdentityPerHour: { poll: 10, register: 3 } },
    });
    expect(parseCli([], { TOKEN_PLACE_RELAY_SERVER_TOKENS: 'x\ny', API_RATE_LIMIT: '60 per hour', API_DAILY_QUOTA: '1000 per day' }).config).toMatchObject({
      port: 5010,
      relayTokens: ['x', 'y'],
      rateLimits: { publicPerIp: [{ limit: 60, windowSeconds: 3600 }, { limit: 1000, windowSeconds: 86400 }] },
    });
  });

  it('fails with clear errors', () => {
    expect(() => parseCli(['--port', 'abc'], {})).toThrow(new ConfigError('--port: expected an integer, got "abc"'));
    expect(() => parseCli(['--bogus'], {})).toThrow(ConfigError);
    expect(() => parseCli([], { TOKENPLACE_RELAY_RATE_LIMIT_PUBLIC: 'lots' })).toThrow(/TOKENPLACE_RELAY_RATE_LIMIT_PUBLIC: invalid rate limit "lots"/);
  });

  it('names the flag or the environment variable a bad value came from, never a config key', () => {
    expect(cliRefusal(['--tombstone-ttl-seconds', '301'])).toBe('--tombstone-ttl-seconds: must be at most 300 (got 301)');
    expect(cliRefusal([], { TOKEN_PLACE_API_V1_CONTROL_TOMBSTONE_TTL_SECONDS: '301' })).toBe('TOKEN_PLACE_API_V1_CONTROL_TOMBSTONE_TTL_SECONDS: must be at most 300 (got 301)');
    expect(cliRefusal(['--redis', 'not-a-url'])).toBe('--redis: must be a URL, e.g. redis://127.0.0.1:6379');
    expect(cliRefusal(['--metrics-token='])).toBe('--metrics-token: must not be empty');
    expect(cliRefusal(['--rate-limit-public', '0 per hour'])).toBe('--rate-limit-public: must be at least 1 (got 0)');
    expect(cliRefusal([], { API_RATE_LIMIT: '0 per hour' })).toBe('API_RATE_LIMIT: must be at least 1 (got 0)');
    expect(cliRefusal(['--port', '70000', '--lease-seconds', '0'])).toBe('--port: must be at most 65535 (got 70000); --lease-seconds: must be at least 1 (got 0)');
    expect(cliRefusal([], { TOKENPLACE_RELAY_TRUST_PROXY: 'maybe' })).toBe('TOKENPLACE_RELAY_TRUST_PROXY: expected true/false, got "maybe"');
    expect(cliRefusal(['--bogus'])).toBe("Unknown option '--bogus'");
    expect(cliRefusal(['--port'])).toBe('--port needs a value');
    expect(cliRefusal(['--quiet=yes'])).toBe('--quiet takes no value');
    expect(cliRefusal(['extra'])).toMatch(/^Unexpected argument 'extra'/);
  });

  it("refuses a body limit below what a node's answers and stream appends can need, saying the minimum", () => {
    const why = "a node's answers and stream appends can be that large, and a smaller limit refuses them while the client waits for its deadline";
    expect(MIN_CLI_BODY_LIMIT_BYTES).toBe(STREAM_LIMITS.maxAppendBodyBytes);
    expect(cliRefusal(['--body-limit-bytes', '100000'])).toBe(`--body-limit-bytes: must be at least 819200 (got 100000): ${why}`);
    expect(cliRefusal([], { TOKENPLACE_RELAY_BODY_LIMIT_BYTES: '819199' })).toBe(`TOKENPLACE_RELAY_BODY_LIMIT_BYTES: must be at least 819200 (got 819199): ${why}`);
    expect(parseCli(['--body-limit-bytes', '819200'], {}).config.bodyLimitBytes).toBe(819_200);
    expect(helpText()).toContain('at least 819200');
  });

  it('documents every option with its env vars', () => {
    const text = helpText();
    for (const flag of ['--host', '--port', '--redis', '--relay-token', 'TOKEN_PLACE_RELAY_SERVER_TOKEN', 'TOKENPLACE_RELAY_PORT']) expect(text).toContain(flag);
    // Secrets off the command line (docs/relay.md "Secrets").
    for (const name of ['--relay-token-file', '--metrics-token-file', 'TOKENPLACE_RELAY_REDIS_USERNAME', 'TOKENPLACE_RELAY_REDIS_PASSWORD', 'prefer --relay-token-file']) expect(text).toContain(name);
  });
});

describe('tokenplace-relay process', () => {
  let redis: LocalRedis | undefined;
  let child: ChildProcess | undefined;
  let inProcess: RunningRelay | undefined;
  afterAll(async () => {
    child?.kill('SIGKILL');
    await inProcess?.close();
    await redis?.stop();
  });

  it('prints help and exits 0; exits 2 on a bad option', async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const p = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        p.stdout.on('data', (c: Buffer) => (out += c));
        p.stderr.on('data', (c: Buffer) => (err += c));
        p.on('exit', (code) => resolve({ code, out, err }));
      });
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: tokenplace-relay');
    const bad = await run(['--lease-seconds', '0', '--port', '0']);
    expect(bad.code).toBe(2);
    // the flag as typed, never the config key behind it (`leaseSeconds`)
    expect(bad.err).toContain('tokenplace-relay: --lease-seconds: must be at least 1 (got 0)');
    expect(bad.err).not.toContain('leaseSeconds');
    expect(bad.err).toContain('Run tokenplace-relay --help for usage.');
  });

  it('a second relay process shares Redis state with an in-process relay and stops on SIGTERM', async () => {
    redis = await startLocalRedis();
    const prefix = 'cli-test:';
    child = spawn(process.execPath, [BIN, '--port', '0', '--redis', redis.url, '--redis-prefix', prefix, '--poll-wait-seconds', '2', '--quiet'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child!.stdout!.on('data', (c: Buffer) => {
        out += c;
        const m = /listening on (http:\/\/\S+) \(state: redis\)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child!.once('exit', (code) => reject(new Error(`relay exited ${code}`)));
    });
    inProcess = await startRelay({ redisUrl: redis.url, redisKeyPrefix: prefix, pollWaitSeconds: 2 });
    const node = await TestNode.create(url);
    expect((await node.register()).status).toBe(200);
    const client = await TestClient.create(inProcess.url, await generateRsaKeyPair());
    const polling = node.poll();
    const s = await client.submit(node.publicKey, 'between processes');
    const work = (await polling).body;
    expect(node.open(work).api_v1_request.messages[0]!.content).toBe('between processes');
    expect((await node.answer(work, 'ok')).status).toBe(200);
    const got = await client.retrieve(s.requestId, 2);
    expect(client.open(got.body)).toBe('ok');

    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
