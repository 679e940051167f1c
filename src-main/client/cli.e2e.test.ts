// `tokenplace-chat` end to end: the real bin as a child process against our relay + node, plus the
// failure paths through runCli in-process (same code, without paying a process start each).
import { spawn } from 'node:child_process';
import http from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRelay } from '../relay';
import { runCli } from './cli-run';
import { closedLoopbackUrl, serveOnLoopback } from '../../test-support/client/loopback';
import { SLOW_MARKER, keyPairs, startStackNode, startStackRelay, waitFor, type StackNode } from '../../test-support/client/stack';

const BIN = join(__dirname, '../../bin/tokenplace-chat.js');

let relay: RunningRelay;
let node: StackNode;
let junk: http.Server; // answers every request with non-JSON
let junkUrl: string;
let closedUrl: string; // nothing listens there

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], opts: { stdin?: string; killAfterMs?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, TOKENPLACE_SERVER: '' } });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      // interrupt once the request is at the relay
      if (opts.killAfterMs !== undefined && !interrupted && stderr.includes('submitted')) {
        interrupted = true; // exactly one Ctrl-C (a second one exits without cancelling)
        setTimeout(() => child.kill('SIGINT'), opts.killAfterMs);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.stdin ?? '');
  });
}

async function runInProcess(argv: string[], stdin = ''): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runCli({
    argv,
    env: {},
    stdin: Readable.from([Buffer.from(stdin)]),
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  const [pair] = await keyPairs(1);
  relay = await startStackRelay();
  node = await startStackNode(relay.url, pair!);
  await waitFor(async () => ((await (await fetch(`${relay.url}/healthz`)).json()) as { knownServers: number }).knownServers === 1);
  junk = http.createServer((_req, res) => res.end('<html>hello</html>'));
  junkUrl = await serveOnLoopback(junk);
  closedUrl = await closedLoopbackUrl();
});

afterAll(async () => {
  await node.node.stop();
  await relay.close();
  await new Promise<void>((r) => junk.close(() => r()));
});

describe('tokenplace-chat', () => {
  it('prints the answer for a prompt argument', async () => {
    const r = await run(['--server', relay.url, '--system', 'be brief', 'what is 2+2?']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Test answer (2 messages) to: what is 2+2?\n');
  });

  it('reads the prompt from stdin and prints the full answer with --json', async () => {
    const r = await run(['--server', relay.url, '--json', '--context-tier', '8k-fast', '--verbose'], { stdin: 'from stdin\n' });
    expect(r.code).toBe(0);
    const answer = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(answer).toMatchObject({
      content: 'Test answer (1 messages) to: from stdin',
      relayUrl: relay.url,
      nodeFingerprint: node.node.status().fingerprint,
      contextTier: '8k-fast',
      encryption: { profile: 'aead-v1', authenticated: true, symmetric: 'AES-256-GCM', requestWrap: 'oaep-sha256', replyWrap: 'oaep-sha256' },
    });
    expect(answer.usage).toMatchObject({ totalTokens: expect.any(Number) });
    expect(answer.timings).toMatchObject({ totalMs: expect.any(Number), waitMs: expect.any(Number) });
    expect(r.stderr).toMatch(/finding a node/);
    expect(r.stderr).toMatch(/submitted to node/);
  });

  it('fails with a clear message and a non-zero exit code', async () => {
    const [usage, unreachable, notRelay, timeout, help] = await Promise.all([
      runInProcess(['--server', 'ftp://example.org', 'x']),
      runInProcess(['--server', closedUrl, 'x']),
      runInProcess(['--server', junkUrl, 'x']),
      runInProcess(['--server', relay.url, '--timeout', '0.5', `${SLOW_MARKER} wait`]),
      runInProcess(['--help']),
    ]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--server: .*not http or https/);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/could not be reached.*\[server_unreachable\]/);
    expect(notRelay.code).toBe(1);
    expect(notRelay.stderr).toMatch(/does not understand.*\[invalid_server_response\]/);
    expect(timeout.code).toBe(1);
    expect(timeout.stderr).toMatch(/No answer arrived before the deadline.*\[client_timeout\]/);
    for (const r of [usage, unreachable, notRelay, timeout]) expect(r.stdout).toBe('');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: tokenplace-chat --server URL/);
    const noPrompt = await runInProcess(['--server', relay.url], '   ');
    expect(noPrompt).toMatchObject({ code: 2, stderr: expect.stringMatching(/prompt is empty/) });
    const json = await runInProcess(['--server', closedUrl, '--json', 'x']);
    expect(JSON.parse(json.stdout)).toEqual({ error: { code: 'server_unreachable', message: expect.any(String), retryable: true } });
  });

  it('cancels the request on Ctrl-C and exits with 130', async () => {
    const abortedBefore = node.aborted;
    const r = await run(['--server', relay.url, '--verbose', `${SLOW_MARKER} interrupt me`], { killAfterMs: 200 });
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/\[requester_cancelled\]/);
    await waitFor(() => node.aborted > abortedBefore, 5000, 'the node aborts the cancelled generation');
  });
});
