// `tokenplace-gateway` end to end: the real bin as a child process in front of our relay + node,
// driven with the official `openai` client (streaming and not), with a token from a file and with
// the generated one it prints; bad command lines through runGatewayCli in-process (same code).
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRelay } from '../relay';
import { DEFAULT_GATEWAY_PORT } from './gateway-cli-args';
import { runGatewayCli } from './gateway-cli-run';
import { serveOnLoopback } from '../../test-support/client/loopback';
import { SLOW_MARKER, STACK_MODEL, keyPairs, startStackNode, startStackRelay, waitFor, type StackNode } from '../../test-support/client/stack';

const BIN = join(__dirname, '../../bin/tokenplace-gateway.js');

let relay: RunningRelay;
let node: StackNode;
let dir: string;

interface Gateway {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

/** Starts the bin and waits for its "listening on" line (and without --token-file, the token's line after it). */
function startGatewayBin(args: string[]): Promise<Gateway> {
  const lines = args.includes('--token-file') ? 1 : 2;
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TOKENPLACE_SERVER: '' } });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)\/v1/.exec(out);
      if (m && out.split('\n').length > lines) resolve({ child, url: m[1]!, stdout: () => out, stderr: () => err, exit });
    });
    void exit.then((code) => reject(new Error(`gateway exited ${code}: ${err}`)));
  });
}

async function stop(gw: Gateway, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  gw.child.kill(signal);
  return gw.exit;
}

const openai = (gw: Gateway, apiKey: string) => new OpenAI({ baseURL: `${gw.url}/v1`, apiKey, maxRetries: 0, timeout: 15_000 });

async function streamed(client: OpenAI, content: string): Promise<{ text: string; chunks: number; finish: string | null | undefined }> {
  const stream = await client.chat.completions.create({ model: STACK_MODEL, messages: [{ role: 'user', content }], stream: true, max_tokens: 64 });
  let text = '';
  let chunks = 0;
  let finish: string | null | undefined;
  for await (const chunk of stream) {
    const choice = chunk.choices[0];
    if (choice?.delta.content) {
      text += choice.delta.content;
      chunks++;
    }
    if (choice?.finish_reason) finish = choice.finish_reason;
  }
  return { text, chunks, finish };
}

function secretFile(name: string, text: string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

async function runInProcess(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runGatewayCli({
    argv,
    env: {},
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    signal: AbortSignal.abort('SIGTERM'),
  });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tp-gateway-cli-'));
  const [pair] = await keyPairs(1);
  relay = await startStackRelay();
  node = await startStackNode(relay.url, pair!);
  await waitFor(async () => ((await (await fetch(`${relay.url}/healthz`)).json()) as { knownServers: number }).knownServers === 1);
});

afterAll(async () => {
  await node.node.stop();
  await relay.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('tokenplace-gateway', () => {
  it('serves the openai client with the token from --token-file, streaming and not, and stops on SIGTERM', async () => {
    const token = 'file-token-0123456789abcdef';
    const gw = await startGatewayBin(['--server', relay.url, '--port', '0', '--token-file', secretFile('token', `${token}\n`)]);
    try {
      expect(gw.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(gw.stdout()).toBe(`tokenplace-gateway listening on ${gw.url}/v1 (relay: ${relay.url})\n`);
      const client = openai(gw, token);
      expect((await client.models.list()).data.map((m) => m.id)).toEqual([STACK_MODEL]);
      const completion = await client.chat.completions.create({ model: STACK_MODEL, messages: [{ role: 'user', content: 'whole' }], max_tokens: 64 });
      expect(completion.choices[0]!.message.content).toBe('Test answer (1 messages) to: whole');
      const stream = await streamed(client, 'in pieces');
      expect(stream.text).toBe('Test answer (1 messages) to: in pieces');
      expect(stream.chunks).toBeGreaterThan(1);
      expect(stream.finish).toBe('stop');
      await expect(openai(gw, 'not-the-token-0123456789').models.list()).rejects.toMatchObject({ status: 401 });
    } finally {
      expect(await stop(gw)).toBe(0);
    }
    expect(gw.stderr()).toBe('tokenplace-gateway: SIGTERM, shutting down\n');
  });

  it('prints a generated token once; a client that goes away mid-answer cancels it at the relay', async () => {
    const gw = await startGatewayBin(['--server', relay.url, '--port', '0']);
    try {
      const m = /^API key for this run \(shown once; pass --token-file F to choose one\): ([A-Za-z0-9_-]{43})$/m.exec(gw.stdout());
      expect(m).not.toBeNull();
      const token = m![1]!;
      const client = openai(gw, token);
      expect((await streamed(client, 'generated')).text).toBe('Test answer (1 messages) to: generated');

      const abortedBefore = node.aborted;
      const controller = new AbortController();
      const slow = client.chat.completions.create({ model: STACK_MODEL, messages: [{ role: 'user', content: `${SLOW_MARKER} go away` }], stream: true }, { signal: controller.signal });
      await waitFor(() => node.calls > 0 && node.node.status().inFlight > 0, 5000);
      controller.abort();
      await expect(slow).rejects.toThrow();
      await waitFor(() => node.aborted > abortedBefore, 5000);

      await stop(gw, 'SIGINT');
      // the token is printed exactly once and never reaches stderr
      expect(gw.stdout().split(token).length - 1).toBe(1);
      expect(gw.stderr()).not.toContain(token);
      expect(gw.stderr()).toBe('tokenplace-gateway: SIGINT, shutting down\n');
    } finally {
      if (gw.child.exitCode === null) await stop(gw);
    }
    expect(await gw.exit).toBe(0);
  });

  it('refuses bad command lines with one clear line and the pointer to --help', async () => {
    const missing = join(dir, 'nope');
    const cases: [string[], string][] = [
      [[], '--server URL is required (or set TOKENPLACE_SERVER)'],
      [['--server', '127.0.0.1:5010'], '--server: 127.0.0.1:5010 is not a URL (it has no http:// or https://); did you mean http://127.0.0.1:5010?'],
      [['--server', 'ftp://example.org'], '--server: scheme ftp: is not http or https'],
      [['--server', relay.url, '--port', '70000'], '--port must be a whole number from 0 to 65535'],
      [['--server', relay.url, '--host', '0.0.0.0'], "Unknown option '--host'"],
      [['--server', relay.url, '--token-file', missing], `--token-file: cannot use ${missing}: no such file; check the path`],
      [['--server', relay.url, '--token-file', secretFile('empty', '\n')], `--token-file: cannot use ${join(dir, 'empty')}: it holds no token; write the token on one line`],
      [['--server', relay.url, '--token-file', secretFile('open', 'shared-token-0123456789\n', 0o644)], `--token-file: ${join(dir, 'open')} can be read by other users (mode 644); chmod 600 it`],
      [['--server', relay.url, '--token-file', secretFile('short', 'short\n')], `--token-file: cannot use ${join(dir, 'short')}: the token has 5 characters; use at least 16 (e.g. openssl rand -base64 32)`],
      [['--server', relay.url, '--token-file', secretFile('spaced', 'two words 0123456789\n')], `--token-file: cannot use ${join(dir, 'spaced')}: the token must be printable ASCII without spaces (it is sent in an HTTP header)`],
    ];
    for (const [argv, message] of cases) {
      const r = await runInProcess(argv);
      expect(r, argv.join(' ')).toEqual({ code: 2, stdout: '', stderr: `tokenplace-gateway: ${message}\nRun tokenplace-gateway --help for usage.\n` });
    }
  });

  it('says so when the port is taken, and prints its help', async () => {
    const taken = http.createServer();
    const url = await serveOnLoopback(taken);
    try {
      const port = new URL(url).port;
      const r = await runInProcess(['--server', relay.url, '--port', port]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`tokenplace-gateway: could not start: port ${port} on 127.0.0.1 is in use; pick another with --port N (0 = any free port)\n`);
    } finally {
      await new Promise<void>((r) => taken.close(() => r()));
    }
    const help = await runInProcess(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: tokenplace-gateway --server URL \[options\]\n/);
    for (const flag of ['--server URL', '--port N', '--token-file F', '-h, --help']) expect(help.stdout).toContain(flag);
    expect(help.stdout).toContain(`default ${DEFAULT_GATEWAY_PORT}`);
  });

  it('the real bin refuses a bad flag without a stack trace', async () => {
    const child = spawn(process.execPath, [BIN, '--server', 'localhost:5010'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(err).toBe('tokenplace-gateway: --server: localhost:5010 is not a URL (it has no http:// or https://); did you mean http://localhost:5010?\nRun tokenplace-gateway --help for usage.\n');
  });
});
