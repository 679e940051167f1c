import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRsaKeyPair, keyFingerprint, pemFromWireKey } from '../crypto';
import type { RunningRelay } from '../relay';
import { CliUsageError, parseNodeCliArgs } from './cli-args';
import { runNodeCli } from './cli-run';
import { startFakeOpenAIServer, type FakeProviderServer } from '../../test-support/node/fake-openai-server';
import { TEST_MODEL, eventually, startTestRelay } from '../../test-support/node/harness';
import { startStrictReferenceRelay } from '../../test-support/node/strict-reference-relay';
import { MiniClient, replyText } from '../../test-support/node/mini-client';

describe('tokenplace-node flags', () => {
  it('parses a full command line', () => {
    const parsed = parseNodeCliArgs(
      [
        '--relay', 'http://127.0.0.1:5010/',
        '--provider', 'openai-compatible',
        '--base-url', 'http://127.0.0.1:11434/v1',
        '--model', 'qwen3:8b',
        '--model-id', 'qwen3-8b-instruct, qwen',
        '--context-tier', '64k-full',
        '--max-concurrency', '4',
        '--backend', 'cuda',
        '--rotate-keys-every', '3600',
      ],
      { OPENAI_API_KEY: 'sk-env' },
    );
    expect(parsed).toEqual({
      kind: 'run',
      options: {
        relayUrl: 'http://127.0.0.1:5010',
        provider: 'openai-compatible',
        baseUrl: 'http://127.0.0.1:11434/v1',
        apiKey: 'sk-env',
        model: 'qwen3:8b',
        modelIds: ['qwen3-8b-instruct', 'qwen'],
        contextTier: '64k-full',
        maxConcurrency: 4,
        backendClass: 'cuda',
        timeoutMs: 120_000,
        rotateKeysEveryMs: 3_600_000,
        replyPadding: 'mirror',
        streamProgress: false,
      },
    });
  });

  it('takes keys from the environment in order of precedence', () => {
    const env = { TOKENPLACE_PROVIDER_API_KEY: 'tp', ANTHROPIC_API_KEY: 'ant', TOKENPLACE_RELAY_URL: 'http://r', TOKENPLACE_RELAY_SERVER_TOKEN: 'tok' };
    const parsed = parseNodeCliArgs(['--provider', 'anthropic'], env);
    expect(parsed.kind === 'run' && parsed.options).toMatchObject({ apiKey: 'tp', relayUrl: 'http://r', relayToken: 'tok' });
    const flag = parseNodeCliArgs(['--provider', 'anthropic', '--api-key', 'flag'], env);
    expect(flag.kind === 'run' && flag.options.apiKey).toBe('flag');
  });

  it('takes the test provider’s pace and answer length', () => {
    const parsed = parseNodeCliArgs(
      ['--relay', 'http://r', '--provider', 'test', '--test-tokens-per-second', '200', '--test-first-token-ms', '150', '--test-answer-tokens', '64'],
      {},
    );
    expect(parsed).toMatchObject({ kind: 'run', options: { test: { tokensPerSecond: 200, firstTokenDelayMs: 150, answerTokens: 64 } } });
    expect(parseNodeCliArgs(['--relay', 'http://r', '--provider', 'test'], {})).not.toHaveProperty('options.test');
  });

  it('names the environment variable a bad relay address came from', () => {
    expect(() => parseNodeCliArgs(['--provider', 'test'], { TOKENPLACE_RELAY_URL: 'ftp://x' })).toThrow('TOKENPLACE_RELAY_URL must be an http:// or https:// URL');
    expect(() => parseNodeCliArgs(['--provider', 'test', '--relay', 'nope'], { TOKENPLACE_RELAY_URL: 'http://ok' })).toThrow('--relay is not a URL');
  });

  it('takes a key file, its passphrase from a file or the environment, never from a flag', () => {
    const base = ['--relay', 'http://r', '--provider', 'test'];
    const fromFile = parseNodeCliArgs([...base, '--key-file', 'node.key', '--key-passphrase-file', 'pass.txt'], {});
    expect(fromFile.kind === 'run' && fromFile.options.keyFile).toEqual({ path: 'node.key', passphrase: { file: 'pass.txt' } });
    const fromEnv = parseNodeCliArgs(base, { TOKENPLACE_NODE_KEY_FILE: 'env.key', TOKENPLACE_NODE_KEY_PASSPHRASE: 'correct horse battery' });
    expect(fromEnv.kind === 'run' && fromEnv.options.keyFile).toEqual({ path: 'env.key', passphrase: { env: 'TOKENPLACE_NODE_KEY_PASSPHRASE' } });
    const none = parseNodeCliArgs(base, {});
    expect(none.kind === 'run' && none.options.keyFile).toBeUndefined();
  });

  it.each([
    [['--key-file', 'k', '--key-passphrase', 'hunter2'], {}, 'never a flag (anyone can read flags in ps): set TOKENPLACE_NODE_KEY_PASSPHRASE or pass --key-passphrase-file PATH'],
    [['--key-file', 'k', '--key-passphrase=hunter2'], {}, 'never a flag'],
    [['--key-file', 'k'], {}, '--key-file needs a passphrase: set TOKENPLACE_NODE_KEY_PASSPHRASE or pass --key-passphrase-file PATH'],
    [[], { TOKENPLACE_NODE_KEY_FILE: 'k' }, 'TOKENPLACE_NODE_KEY_FILE needs a passphrase'],
    [['--key-passphrase-file', 'p'], {}, '--key-passphrase-file needs --key-file PATH'],
    [['--key-file', 'k', '--key-passphrase-file', 'p'], { TOKENPLACE_NODE_KEY_PASSPHRASE: 'x' }, 'not both'],
  ])('refuses key options %j %j', (extra, env, message) => {
    const argv = ['--relay', 'http://r', '--provider', 'test', ...extra];
    expect(() => parseNodeCliArgs(argv, env)).toThrow(CliUsageError);
    expect(() => parseNodeCliArgs(argv, env)).toThrow(message);
  });

  it.each([
    [[], '--relay URL is required'],
    [['--relay', 'ftp://x', '--provider', 'test'], 'http:// or https://'],
    [['--relay', 'http://r', '--provider', 'llama'], '--provider must be one of'],
    [['--relay', 'http://r'], '--base-url is required'],
    [['--relay', 'http://r', '--provider', 'anthropic'], 'Anthropic API key is required'],
    [['--relay', 'http://r', '--provider', 'test', '--max-concurrency', '0'], '--max-concurrency must be a whole number'],
    [['--relay', 'http://r', '--provider', 'test', '--max-concurrency', '129'], 'from 1 to 128'],
    [['--relay', 'http://r', '--provider', 'test', '--context-tier', '128k'], '--context-tier must be one of'],
    [['--relay', 'http://r', '--provider', 'test', '--models-file', 'x.json', '--model-id', 'a'], '--models-file replaces'],
    [['--relay', 'http://r', '--nope'], "Unknown option '--nope'"],
    [['--relay', '127.0.0.1:5010', '--provider', 'test'], '--relay is not a URL: 127.0.0.1:5010 has no http:// or https://; did you mean http://127.0.0.1:5010?'],
    [['--relay', 'http://r', '--base-url', 'localhost:11434/v1'], '--base-url is not a URL: localhost:11434/v1 has no http:// or https://; did you mean http://localhost:11434/v1?'],
    [['--relay', 'http://r', '--provider', 'test', '--stream-progress=yes'], '--stream-progress takes no value'],
    [['--relay', 'http://r', '--provider', 'test', '--timeout'], '--timeout needs a value'],
    [['--relay', 'http://r', '--provider', 'test', 'extra'], "Unexpected argument 'extra'"],
    [['--relay', 'http://r', '--base-url', 'http://p', '--test-tokens-per-second', '50'], '--test-tokens-per-second is for --provider test'],
    [['--relay', 'http://r', '--provider', 'test', '--test-tokens-per-second', '0'], '--test-tokens-per-second must be a whole number from 1'],
    [['--relay', 'http://r', '--provider', 'test', '--test-first-token-ms=-5'], '--test-first-token-ms must be a whole number from 0'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseNodeCliArgs(argv, {})).toThrow(CliUsageError);
    expect(() => parseNodeCliArgs(argv, {})).toThrow(message);
  });
});

function io(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const controller = new AbortController();
  return {
    controller,
    out,
    err,
    run: () =>
      runNodeCli({ argv, env, stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, signal: controller.signal }),
  };
}

describe('tokenplace-node program', () => {
  let relay: RunningRelay;
  let provider: FakeProviderServer;
  beforeAll(async () => {
    relay = await startTestRelay();
    provider = await startFakeOpenAIServer({ models: ['local-llm'] });
  });
  afterAll(async () => {
    await provider?.close();
    await relay?.close();
  });

  it('prints usage with --help and exits 2 on bad flags', async () => {
    const help = io(['--help']);
    expect(await help.run()).toBe(0);
    expect(help.out.join('')).toContain('Usage: tokenplace-node --relay URL');
    const bad = io(['--relay', relay.url, '--provider', 'nope']);
    expect(await bad.run()).toBe(2);
    expect(bad.err.join('')).toContain('Run tokenplace-node --help');
  });

  it('serves an OpenAI-compatible model discovered via /v1/models, never printing keys or prompts', async () => {
    const p = io(['--relay', relay.url, '--base-url', provider.url, '--model-id', TEST_MODEL], { OPENAI_API_KEY: 'sk-secret-key' });
    const done = p.run();
    await eventually(() => p.err.join('').includes('registered with'), 5000, 'registration line');
    const client = new MiniClient(relay.url, await generateRsaKeyPair());
    const sent = await client.send({ model: TEST_MODEL, messages: [{ role: 'user', content: 'very private prompt' }] });
    expect(replyText(await client.waitForAnswer(sent.requestId))).toBe('echo: very private prompt');
    expect(provider.calls.at(-1)?.model).toBe('local-llm');
    expect(provider.authHeaders.at(-1)).toBe('Bearer sk-secret-key');
    await eventually(() => p.err.join('').includes('answered'), 2000, 'request line');
    p.controller.abort();
    expect(await done).toBe(0);
    const printed = p.err.join('') + p.out.join('');
    expect(printed).toContain('stopped');
    expect(printed).not.toContain('registered unverified'); // our relay verifies the key (§9)
    expect(printed).not.toContain('sk-secret-key');
    expect(printed).not.toContain('private prompt');
    expect(printed).not.toContain(sent.serverPublicKey.slice(0, 40));
  });

  it('says in plain words that it runs unverified on a relay that does not check node keys (§9)', async () => {
    const reference = await startStrictReferenceRelay();
    try {
      const p = io(['--relay', reference.url, '--provider', 'test']);
      const done = p.run();
      await eventually(() => p.err.join('').includes('registered with'), 5000, 'registration line');
      await eventually(() => p.err.join('').includes('registered unverified'), 2000, 'the unverified line');
      expect(p.err.join('').match(/registered unverified/g)).toHaveLength(1);
      expect(p.err.join('')).toContain('another party could register the same key');
      p.controller.abort();
      expect(await done).toBe(0);
    } finally {
      await reference.close();
    }
  });

  it('names the flag of a model option the tier does not allow, and the provider address it could not list', async () => {
    const small = io(['--relay', relay.url, '--provider', 'test', '--context-tokens', '4096']);
    expect(await small.run()).toBe(1);
    expect(small.err.join('')).toBe('tokenplace-node: --context-tokens must be at least 8192 for --context-tier 8k-fast (got 4096)\n');
    const tier = io(['--relay', relay.url, '--provider', 'test', '--context-tier', '64k-full', '--context-tokens', '8192']);
    expect(await tier.run()).toBe(1);
    expect(tier.err.join('')).toBe('tokenplace-node: --context-tokens must be at least 65536 for --context-tier 64k-full (got 8192)\n');
    const closed = 'http://127.0.0.1:1'; // nothing listens on port 1
    const unreachable = io(['--relay', relay.url, '--base-url', `${closed}/v1`]);
    expect(await unreachable.run()).toBe(1);
    expect(unreachable.err.join('')).toBe(
      `tokenplace-node: Cannot list the models of the provider at ${closed}/v1 (provider_unreachable); check --base-url and that it is running, or pass --model NAME\n`,
    );
  });

  it('prints a line per state change and one per request, not the state again after every request', async () => {
    const p = io(['--relay', relay.url, '--provider', 'test']);
    const done = p.run();
    try {
      await eventually(() => p.err.join('').includes('registered with'), 5000, 'registration line');
      const client = new MiniClient(relay.url, await generateRsaKeyPair());
      for (const content of ['one', 'two', 'three']) {
        const sent = await client.send({ model: TEST_MODEL, messages: [{ role: 'user', content }] });
        await client.waitForAnswer(sent.requestId);
      }
      await eventually(() => p.err.join('').split('answered').length - 1 === 3, 5000, 'three request lines');
    } finally {
      p.controller.abort();
      expect(await done).toBe(0);
    }
    const lines = p.err.join('').split('\n').filter(Boolean);
    expect(lines.filter((l) => l.includes('registered with'))).toHaveLength(1);
    expect(lines.filter((l) => / request [0-9a-f]{12}: answered in \d+ ms$/.test(l))).toHaveLength(3);
  });

  it('paces the test provider as its flags say: first-token delay, token rate, answer length', async () => {
    const p = io(['--relay', relay.url, '--provider', 'test', '--test-first-token-ms', '300', '--test-tokens-per-second', '100', '--test-answer-tokens', '30']);
    const done = p.run();
    try {
      await eventually(() => p.err.join('').includes('registered with'), 5000, 'registration line');
      const client = new MiniClient(relay.url, await generateRsaKeyPair());
      const started = Date.now();
      const sent = await client.send({ model: TEST_MODEL, messages: [{ role: 'user', content: 'pace' }] });
      const text = replyText(await client.waitForAnswer(sent.requestId));
      expect(text.split(' ').filter(Boolean)).toHaveLength(30);
      // 300 ms to the first token, then 29 intervals of 10 ms.
      expect(Date.now() - started).toBeGreaterThanOrEqual(300 + 290);
    } finally {
      p.controller.abort();
      expect(await done).toBe(0);
    }
  });

  it('exits 1 with a clear message when the relay refuses the token', async () => {
    const guarded = await startTestRelay({ relayTokens: ['right'] });
    try {
      const p = io(['--relay', guarded.url, '--provider', 'test', '--relay-token', 'wrong']);
      expect(await p.run()).toBe(1);
      expect(p.err.join('')).toMatch(/refused registration \(HTTP 401\)/);
    } finally {
      await guarded.close();
    }
  });

  describe('--key-file', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'tp-node-keyfile-'));
    });
    afterAll(async () => rm(dir, { recursive: true, force: true }));
    const PASSPHRASE = { TOKENPLACE_NODE_KEY_PASSPHRASE: 'node key file passphrase' };

    /** Runs the node until it registered; returns the fingerprint the relay hands clients, and a stop(). */
    async function runUntilRegistered(argv: string[], env: NodeJS.ProcessEnv) {
      const p = io(['--relay', relay.url, '--provider', 'test', ...argv], env);
      const done = p.run();
      await eventually(() => p.err.join('').includes('registered with'), 20_000, 'registration line');
      const next = (await (await fetch(`${relay.url}/api/v1/relay/servers/next?model=${TEST_MODEL}`)).json()) as { server_public_key: string };
      return {
        p,
        relayKnows: keyFingerprint(pemFromWireKey(next.server_public_key)),
        stop: async () => {
          p.controller.abort();
          expect(await done).toBe(0);
        },
      };
    }

    it('keeps the node key across restarts, sealed on disk; the relay sees the same node', async () => {
      const keyFile = join(dir, 'restart.key');
      const first = await runUntilRegistered(['--key-file', keyFile], PASSPHRASE);
      await first.stop();
      expect(first.p.err.join('')).toMatch(/new node key [0-9a-f]{16}… saved in /);
      const second = await runUntilRegistered(['--key-file', keyFile], PASSPHRASE);
      await second.stop();
      expect(second.relayKnows).toBe(first.relayKnows);
      expect(second.p.err.join('')).toContain(`node key ${first.relayKnows.slice(0, 16)}… from ${keyFile}`);
      const sealed = await readFile(keyFile, 'utf8');
      expect(sealed).not.toMatch(/PRIVATE KEY|MIIEvQIBADANBgkqhkiG9w0BAQEF/);
      expect(JSON.parse(sealed)).toMatchObject({ format: 'tokenplace-secrets', kdf: { name: 'scrypt', N: 2 ** 17 } });
    }, 90_000);

    it('reads the passphrase from --key-passphrase-file, and refuses a wrong or weak one in plain words', async () => {
      const keyFile = join(dir, 'pass-file.key');
      const passFile = join(dir, 'pass.txt');
      await writeFile(passFile, 'a passphrase kept in a file\n');
      const first = await runUntilRegistered(['--key-file', keyFile, '--key-passphrase-file', passFile], {});
      await first.stop();

      const wrong = io(['--relay', relay.url, '--provider', 'test', '--key-file', keyFile], { TOKENPLACE_NODE_KEY_PASSPHRASE: 'not the right passphrase' });
      expect(await wrong.run()).toBe(1);
      expect(wrong.err.join('')).toContain(`the passphrase does not open the key file ${keyFile}`);

      const weak = io(['--relay', relay.url, '--provider', 'test', '--key-file', join(dir, 'weak.key')], { TOKENPLACE_NODE_KEY_PASSPHRASE: 'password1' });
      expect(await weak.run()).toBe(1);
      expect(weak.err.join('')).toMatch(/This passphrase is too easy to guess\. This is a commonly used password\..*it would protect the new key file/);

      const missing = io(['--relay', relay.url, '--provider', 'test', '--key-file', keyFile, '--key-passphrase-file', join(dir, 'nope.txt')], {});
      expect(await missing.run()).toBe(1);
      expect(missing.err.join('')).toContain(`cannot read the passphrase file ${join(dir, 'nope.txt')} (ENOENT)`);
    }, 90_000);

    it('saves each rotation, so the next start goes on with the key the node rotated to', async () => {
      const keyFile = join(dir, 'rotate.key');
      const rotating = await runUntilRegistered(['--key-file', keyFile, '--rotate-keys-every', '1'], PASSPHRASE);
      await eventually(() => rotating.p.err.join('').includes('rotated key'), 20_000, 'a rotation');
      await rotating.stop();
      const rotations = [...rotating.p.err.join('').matchAll(/rotated key [0-9a-f]{16}… → ([0-9a-f]{16})…/g)];
      const rotatedTo = rotations.at(-1)![1]!; // the last one: more than one may happen before the stop
      const next = await runUntilRegistered(['--key-file', keyFile], PASSPHRASE);
      await next.stop();
      expect(next.relayKnows.slice(0, 16)).toBe(rotatedTo);
    }, 90_000);
  });

  it('runs as the bin and unregisters on SIGINT', async () => {
    const child = spawn(process.execPath, [join(__dirname, '../../bin/tokenplace-node.js'), '--relay', relay.url, '--provider', 'test'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await eventually(() => stderr.includes('registered with'), 15_000, 'bin registration');
    const next = await fetch(`${relay.url}/api/v1/relay/servers/next?model=${TEST_MODEL}`);
    expect(next.status).toBe(200);
    child.kill('SIGINT');
    expect(await exit).toBe(0);
    expect(stderr).toContain('stopped');
    const after = await fetch(`${relay.url}/api/v1/relay/servers/next?model=${TEST_MODEL}`);
    expect(after.status).toBe(503);
  });
});
