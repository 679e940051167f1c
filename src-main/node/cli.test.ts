import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRsaKeyPair } from '../crypto';
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

  it('names the environment variable a bad relay address came from', () => {
    expect(() => parseNodeCliArgs(['--provider', 'test'], { TOKENPLACE_RELAY_URL: 'ftp://x' })).toThrow('TOKENPLACE_RELAY_URL must be an http:// or https:// URL');
    expect(() => parseNodeCliArgs(['--provider', 'test', '--relay', 'nope'], { TOKENPLACE_RELAY_URL: 'http://ok' })).toThrow('--relay is not a URL');
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
    [['--relay', 'http://r', '--provider', 'test', '--stream-progress=yes'], '--stream-progress takes no value'],
    [['--relay', 'http://r', '--provider', 'test', '--timeout'], '--timeout needs a value'],
    [['--relay', 'http://r', '--provider', 'test', 'extra'], "Unexpected argument 'extra'"],
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
