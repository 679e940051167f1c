// The built-in engine dies with its process, never with the window: the compute node (and
// node-llama-cpp with it) runs in its own OS process behind the utility-process NodeHost. Killing
// that process (SIGKILL, as the OS does on an out-of-memory) leaves the backend answering; the
// supervisor reports the crash, restarts the node with backoff (longer after a second crash),
// and the new process loads the model again and registers with the relay.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LocalNodeStatus } from '../../src-shared/ipc/contract';
import { createBackend, createInProcessRelayHost, type Backend } from '../backend';
import { openPassphraseSecretStore } from '../storage';
import type { UtilityProcessLike } from './utility-child';
import { createUtilityNodeHost } from './utility-hosts';
import { writeTinyGguf } from '../../test-support/node/tiny-gguf';

const children: ChildProcess[] = [];
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  for (const f of cleanup.reverse()) await f();
});

/** A real OS process running the node's utility-process service (test-support/app/node-host-child.ts). */
function forkNodeProcess(): UtilityProcessLike {
  // Node itself with tsx's loader: a kill reaches the process that holds the engine.
  const child = fork('test-support/app/node-host-child.ts', [], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  children.push(child);
  return {
    postMessage: (message) => void child.send(message as never),
    on(event: 'message' | 'exit', listener: (value: unknown) => void) {
      if (event === 'message') child.on('message', (message) => listener(message));
      else child.on('exit', (code, signal) => listener(code ?? (signal ? 128 : 1)));
      return this;
    },
    kill: () => child.kill(),
  } as UtilityProcessLike;
}

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, ms = 90_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a crash of the engine’s process', () => {
  it('leaves the backend answering; the node restarts with backoff and serves the model again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tp-engine-crash-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const modelFile = join(dir, 'tiny.gguf');
    await writeTinyGguf(modelFile, { seed: 5 });
    const states: { state: LocalNodeStatus['state']; at: number }[] = [];
    const secrets = await openPassphraseSecretStore(join(dir, 'secrets.json'), 'amber otter lantern quartz', { cost: { N: 2 ** 10, r: 8, p: 1 } });
    const backend: Backend = await createBackend({
      dataDir: dir,
      secrets,
      relayHost: createInProcessRelayHost(),
      nodeHost: createUtilityNodeHost({ fork: forkNodeProcess, callTimeoutMs: 120_000 }),
      emit: (channel, payload) => {
        if (channel === 'events:node') states.push({ state: (payload as LocalNodeStatus).state, at: Date.now() });
      },
      restartBackoffMs: { initial: 300, max: 5000 },
      detectTargets: [],
    });
    cleanup.push(() => backend.close());
    const status = () => backend.handle('node:status', {}) as Promise<LocalNodeStatus>;
    const nodes = async () => ((await backend.handle('relay:status', {})) as { nodeCount: number }).nodeCount;

    await backend.handle('node:configure', { provider: 'local', model: 'tiny', modelFile, contextSize: 512, threads: 1 });
    await until('the node serving', status, (s) => s.state === 'serving' && s.fingerprint !== undefined);
    await until('the node registered', nodes, (n) => n === 1);
    const fingerprint = (await status()).fingerprint;

    const crashes: number[] = [];
    for (const round of [1, 2]) {
      const victim = children.at(-1)!;
      states.length = 0;
      expect(victim.kill('SIGKILL')).toBe(true);
      // The backend keeps answering while the node is down.
      const down = await until('the crash reported', status, (s) => s.state === 'crashed' || s.state === 'restarting');
      expect(down.error).toMatch(/stopped unexpectedly/);
      expect(await backend.handle('app:info', {})).toMatchObject({ secretStorage: 'passphrase' });
      await until(`the node serving again (round ${round})`, status, (s) => s.state === 'serving' && s.fingerprint !== undefined);
      expect(children.length).toBe(round + 1);
      expect(children.at(-1)!.pid).not.toBe(victim.pid);
      const crashed = states.find((s) => s.state === 'crashed')!;
      const restarting = states.find((s) => s.state === 'restarting' && s.at >= crashed.at)!;
      crashes.push(restarting.at - crashed.at);
    }
    // Backoff: the first restart waits the shortest delay, the second one twice as long.
    expect(crashes[0]).toBeGreaterThanOrEqual(300 - 20);
    expect(crashes[1]).toBeGreaterThanOrEqual(600 - 20);
    // The same node key (kept by the app) serves the model again through the relay.
    expect((await status()).fingerprint).toBe(fingerprint);
    await until('the node registered again', nodes, (n) => n === 1);
  }, 240_000);
});
