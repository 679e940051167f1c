// `tokenplace-node --provider local`: the flags, the one-line errors for a wrong model path, and
// the real bin serving the tiny generated GGUF through our relay to the real client on loopback.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RelayClient } from '../client';
import { KeyHolder, generateRsaKeyPair } from '../crypto';
import type { RunningRelay } from '../relay';
import { eventually, startTestRelay } from '../../test-support/node/harness';
import { writeTinyGguf } from '../../test-support/node/tiny-gguf';
import { CliUsageError, parseNodeCliArgs } from './cli-args';
import { resolveLocalModelFile } from './cli-local-model';
import { runNodeCli } from './cli-run';
import { ModelConfigError } from './errors';

const BIN = join(__dirname, '../../bin/tokenplace-node.js');

let dir: string;
let modelPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tp-node-local-'));
  modelPath = join(dir, 'tiny-chat.gguf');
  // A training context of 8192 lets the tiny model serve the 8k-fast tier.
  await writeTinyGguf(modelPath, { seed: 5, contextLength: 8192 });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('tokenplace-node --provider local flags', () => {
  it('parses the model file, folder and engine sizing', () => {
    const parsed = parseNodeCliArgs(
      ['--relay', 'http://r', '--provider', 'local', '--model-file', 'm.gguf', '--models-dir', '/models', '--context-size', '4096', '--threads', '2'],
      {},
    );
    expect(parsed.kind === 'run' && parsed.options).toMatchObject({
      provider: 'local',
      local: { modelFile: 'm.gguf', modelsDir: '/models', contextSize: 4096, threads: 2 },
    });
    expect(parsed.kind === 'run' && parsed.options.apiKey).toBeUndefined();
  });

  it.each([
    [['--provider', 'local'], '--provider local needs --model-file PATH.gguf'],
    [['--provider', 'local', '--model-file', 'm.gguf', '--context-size', '100'], '--context-size must be a whole number from 256'],
    [['--provider', 'local', '--model-file', 'm.gguf', '--threads', 'many'], '--threads must be a whole number from 1 to 512'],
    [['--provider', 'test', '--model-file', 'm.gguf'], '--model-file is for --provider local'],
    [['--base-url', 'http://x', '--threads', '2'], '--threads is for --provider local'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseNodeCliArgs(['--relay', 'http://r', ...argv], {})).toThrow(CliUsageError);
    expect(() => parseNodeCliArgs(['--relay', 'http://r', ...argv], {})).toThrow(message);
  });
});

describe('the model file of --provider local', () => {
  it('takes a bare name from --models-dir, and the folder’s only model without --model-file', async () => {
    expect(await resolveLocalModelFile({ modelFile: 'tiny-chat.gguf', modelsDir: dir })).toBe(modelPath);
    const single = join(dir, 'single');
    await mkdir(single);
    await writeTinyGguf(join(single, 'only.gguf'), { seed: 6 });
    expect(await resolveLocalModelFile({ modelsDir: single })).toBe(join(single, 'only.gguf'));
  });

  it('says in one line what is wrong with the path', async () => {
    const junk = join(dir, 'junk.gguf');
    await writeFile(junk, 'not a model at all');
    const empty = join(dir, 'empty');
    await mkdir(empty);
    const cases: [Parameters<typeof resolveLocalModelFile>[0], string][] = [
      [{ modelFile: join(dir, 'missing.gguf') }, `model file not found: ${join(dir, 'missing.gguf')}`],
      [{ modelFile: junk }, `${junk} is not a GGUF model file`],
      [{ modelFile: dir }, 'is a folder; --model-file takes a .gguf file'],
      [{ modelsDir: join(dir, 'nowhere') }, 'no such folder'],
      [{ modelsDir: empty }, 'holds no .gguf model'],
      [{ modelsDir: dir }, 'holds 2 models (junk.gguf, tiny-chat.gguf); choose one with --model-file NAME'],
    ];
    for (const [options, message] of cases) {
      const err = await resolveLocalModelFile(options).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, message).toBeInstanceOf(ModelConfigError);
      expect((err as Error).message).toContain(message);
      expect((err as Error).message).not.toContain('\n');
    }
  });

  it('exits 1 with that line before registering', async () => {
    const err: string[] = [];
    const code = await runNodeCli({
      argv: ['--relay', 'http://127.0.0.1:9', '--provider', 'local', '--model-file', join(dir, 'missing.gguf')],
      env: {},
      stdout: { write: () => true },
      stderr: { write: (s: string) => err.push(s) },
      signal: new AbortController().signal,
    });
    expect(code).toBe(1);
    expect(err.join('')).toBe(`tokenplace-node: model file not found: ${join(dir, 'missing.gguf')}\n`);
  });
});

describe('tokenplace-node --provider local as the bin', () => {
  let relay: RunningRelay;
  beforeAll(async () => {
    relay = await startTestRelay();
  });
  afterAll(async () => {
    await relay?.close();
  });

  it('loads the GGUF, registers, and answers the real client through the relay', async () => {
    const args = ['--relay', relay.url, '--provider', 'local', '--model-file', modelPath, '--context-size', '8192', '--threads', '1'];
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await eventually(() => stderr.includes('registered with') || child.exitCode !== null, 90_000, 'bin registration');
      expect(stderr).toMatch(/loaded tiny-chat\.gguf \(tiny\S*\) in \d+ ms: CPU, 1 threads, context 8192 tokens, chat template \w+/);
      expect(stderr).toContain('offering tiny-chat');

      const client = new RelayClient({ baseUrl: relay.url, keys: KeyHolder.fromPair(await generateRsaKeyPair()) });
      const answer = await client.chat({
        model: 'tiny-chat',
        messages: [{ role: 'user', content: 'a private question for the tiny model' }],
        options: { max_tokens: 16, temperature: 0.7, seed: 11 },
      });
      expect(answer.content.length).toBeGreaterThan(0);
      expect(answer.usage?.completionTokens).toBeGreaterThan(0);
      expect(answer.usage?.completionTokens).toBeLessThanOrEqual(16);
      await eventually(() => stderr.includes('answered'), 5000, 'request line');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exit).toBe(0);
    expect(stderr).toContain('stopped');
    expect(stderr).not.toContain('private question');
  }, 180_000);
});
