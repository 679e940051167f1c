import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../src-shared/errors';
import { createInProcessNodeHost, NodeSettingsError, type NodeHost, type NodeHostStatus, type RelayHost } from '../backend';
import { UtilityProcessExitedError, type UtilityProcessLike } from './utility-child';
import { createUtilityNodeHost, createUtilityRelayHost } from './utility-hosts';
import { serveNodeHost } from './utility/node-service';
import { createEmbeddedRelayHost, serveRelayHost } from './utility/relay-service';
import type { ParentPortLike } from './utility/serve';
import { writeTinyGguf } from '../../test-support/node/tiny-gguf';

/**
 * A fake utility process: messages cross through structuredClone and a macrotask, like a real
 * MessagePort, into the real child-side service code running against a fake host.
 */
class FakeUtilityProcess extends EventEmitter implements UtilityProcessLike {
  readonly port: ParentPortLike;
  private readonly toChild = new EventEmitter();
  killed = false;

  constructor(serve: (port: ParentPortLike) => void) {
    super();
    this.port = {
      on: (_event, listener) => this.toChild.on('message', listener),
      postMessage: (message) => setImmediate(() => !this.killed && this.emit('message', structuredClone(message))),
    };
    serve(this.port);
  }
  postMessage(message: unknown): void {
    setImmediate(() => !this.killed && this.toChild.emit('message', { data: structuredClone(message) }));
  }
  kill(): boolean {
    this.killed = true;
    setImmediate(() => this.emit('exit', 0));
    return true;
  }
  crash(code: number): void {
    this.killed = true;
    this.emit('exit', code);
  }
}

function fakeRelayHost(port = 45678): RelayHost & { crash(e: Error): void } {
  const crashListeners = new Set<(e: Error) => void>();
  let url: string | undefined;
  return {
    launchSecret: 'inner-launch-secret',
    start: vi.fn(async () => ({ url: (url = `http://127.0.0.1:${port}`) })),
    stop: vi.fn(async () => void (url = undefined)),
    url: () => url,
    nodeCount: vi.fn(async () => 2),
    onCrash: (l) => (crashListeners.add(l), () => crashListeners.delete(l)),
    crash: (e) => crashListeners.forEach((l) => l(e)),
  };
}

describe('utility-process RelayHost', () => {
  it('starts the relay in the child, reports its URL and node count, stops it', async () => {
    const inner = fakeRelayHost();
    const children: FakeUtilityProcess[] = [];
    const fork = () => {
      const child = new FakeUtilityProcess((port) => serveRelayHost(port, () => inner));
      children.push(child);
      return child;
    };
    const host = createUtilityRelayHost({ fork, config: { host: '127.0.0.1' } });
    expect(host.url()).toBeUndefined();
    expect(await host.nodeCount()).toBe(0);
    expect(children).toHaveLength(0);
    await expect(host.start()).resolves.toEqual({ url: 'http://127.0.0.1:45678' });
    expect(host.url()).toBe('http://127.0.0.1:45678');
    expect(await host.nodeCount()).toBe(2);
    const crashed = vi.fn();
    host.onCrash(crashed);
    await host.stop();
    expect(inner.stop).toHaveBeenCalled();
    expect(children[0]!.killed).toBe(true);
    await new Promise((r) => setImmediate(r));
    expect(crashed).not.toHaveBeenCalled();
    expect(host.url()).toBeUndefined();
  });

  it('reports a crash when the process dies, fails pending calls, and can start again', async () => {
    const children: FakeUtilityProcess[] = [];
    const host = createUtilityRelayHost({
      fork: () => {
        const child = new FakeUtilityProcess((port) => serveRelayHost(port, () => fakeRelayHost()));
        children.push(child);
        return child;
      },
    });
    const crashed = vi.fn();
    host.onCrash(crashed);
    await host.start();
    const pending = host.nodeCount();
    children[0]!.crash(139);
    await expect(pending).rejects.toBeInstanceOf(UtilityProcessExitedError);
    expect(crashed).toHaveBeenCalledWith(expect.any(UtilityProcessExitedError));
    expect(host.url()).toBeUndefined();
    await expect(host.start()).resolves.toEqual({ url: 'http://127.0.0.1:45678' });
    expect(children).toHaveLength(2);
  });

  it('reports a crash of the relay inside the process and ends that process', async () => {
    const inner = fakeRelayHost();
    let child: FakeUtilityProcess | undefined;
    const host = createUtilityRelayHost({ fork: () => (child = new FakeUtilityProcess((port) => serveRelayHost(port, () => inner))) });
    const crashed = vi.fn();
    host.onCrash(crashed);
    await host.start();
    inner.crash(new Error('relay listener failed'));
    await vi.waitFor(() => expect(crashed).toHaveBeenCalledWith(expect.objectContaining({ message: 'relay listener failed' })));
    expect(child!.killed).toBe(true);
  });

  it('passes start failures through and times out silent children', async () => {
    const failing = fakeRelayHost();
    (failing.start as ReturnType<typeof vi.fn>).mockRejectedValueOnce(new Error('port in use'));
    const host = createUtilityRelayHost({ fork: () => new FakeUtilityProcess((port) => serveRelayHost(port, () => failing)) });
    await expect(host.start()).rejects.toThrow('port in use');
    const silent = createUtilityRelayHost({ fork: () => new FakeUtilityProcess(() => undefined), callTimeoutMs: 20 });
    await expect(silent.start()).rejects.toThrow(/did not answer/);
  });
});

describe('utility-process NodeHost', () => {
  it('starts the node with its config, mirrors status, and stops it', async () => {
    const statusListeners = new Set<(s: NodeHostStatus) => void>();
    let current: NodeHostStatus = { state: 'stopped', inFlight: 0, served: 0 };
    const inner: NodeHost = {
      start: vi.fn(async () => {
        current = { state: 'serving', fingerprint: 'ab'.repeat(32), inFlight: 0, served: 0 };
      }),
      stop: vi.fn(async () => void (current = { state: 'stopped', inFlight: 0, served: 0 })),
      status: () => current,
      onStatus: (l) => (statusListeners.add(l), () => statusListeners.delete(l)),
      onCrash: () => () => undefined,
    };
    const host = createUtilityNodeHost({ fork: () => new FakeUtilityProcess((port) => serveNodeHost(port, () => inner)) });
    const seen: string[] = [];
    host.onStatus((s) => seen.push(s.state));
    const cfg = { relayUrl: 'http://127.0.0.1:45678', relayLaunchSecret: 'the-launch-secret', provider: 'test' as const, model: 'tp-test' };
    await host.start(cfg);
    expect(inner.start).toHaveBeenCalledWith(cfg);
    await vi.waitFor(() => expect(host.status().state).toBe('serving'));
    statusListeners.forEach((l) => l({ state: 'serving', inFlight: 1, served: 3 }));
    await vi.waitFor(() => expect(host.status()).toMatchObject({ inFlight: 1, served: 3 }));
    await host.stop();
    expect(inner.stop).toHaveBeenCalled();
    expect(host.status().state).toBe('stopped');
    expect(seen).toContain('serving');
  });

  it('rejects a config the protocol does not allow before it reaches the node', async () => {
    const inner = { start: vi.fn(), stop: vi.fn(), status: vi.fn(), onStatus: vi.fn(), onCrash: vi.fn() };
    const host = createUtilityNodeHost({ fork: () => new FakeUtilityProcess((port) => serveNodeHost(port, () => inner as unknown as NodeHost)) });
    await expect(host.start({ relayUrl: 'not a url', relayLaunchSecret: 's', provider: 'test', model: 'm' })).rejects.toThrow(/Malformed call/);
    expect(inner.start).not.toHaveBeenCalled();
  });
});

/** The real relay and compute node, each behind its utility-process host (not started yet). */
function utilityPair() {
  const relay = createUtilityRelayHost({
    fork: () => new FakeUtilityProcess((port) => serveRelayHost(port, createEmbeddedRelayHost)),
    config: { host: '127.0.0.1' },
  });
  const node = createUtilityNodeHost({ fork: () => new FakeUtilityProcess((port) => serveNodeHost(port, () => createInProcessNodeHost())) });
  return { relay, node };
}

describe('utility-process hosts, details', () => {
  it('restarts the relay on the port it had, and falls back to a free port if that is taken', async () => {
    const configs: unknown[] = [];
    const forked: FakeUtilityProcess[] = [];
    let failRemembered = false;
    const host = createUtilityRelayHost({
      fork: () => {
        const children = forked.length + 1;
        const child = new FakeUtilityProcess((port) =>
          serveRelayHost(port, (config) => {
            configs.push(config);
            const inner = fakeRelayHost(config.port || 40000 + children);
            if (failRemembered && config.port) (inner.start as ReturnType<typeof vi.fn>).mockRejectedValueOnce(new Error('EADDRINUSE'));
            return inner;
          }),
        );
        forked.push(child);
        return child;
      },
      config: { host: '127.0.0.1' },
    });
    host.onCrash(() => undefined);
    expect((await host.start()).url).toBe('http://127.0.0.1:40001');
    // The process dies: the next start asks the new process for the same port.
    forked.at(-1)!.crash(1);
    expect((await host.start()).url).toBe('http://127.0.0.1:40001');
    // …with the same launch secret (§12): the node keeps sending the one it has.
    expect(configs[1]).toEqual({ host: '127.0.0.1', port: 40001, launchSecret: host.launchSecret });
    failRemembered = true;
    await host.stop();
    expect((await host.start()).url).not.toBe('http://127.0.0.1:40001');
    expect(configs.at(-1)).toEqual({ host: '127.0.0.1', port: 0, launchSecret: host.launchSecret });
    expect(host.launchSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('keeps the backend\'s typed errors (code and words) across the process boundary', async () => {
    const inner = { ...fakeRelayHost(), start: vi.fn(async () => Promise.reject(new NodeSettingsError('Enter your Anthropic API key.'))) };
    const host = createUtilityRelayHost({ fork: () => new FakeUtilityProcess((port) => serveRelayHost(port, () => inner)) });
    const error = await host.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'node_config', message: 'Enter your Anthropic API key.' });
  });

  it('runs the real relay and compute node (test provider) through the protocol, the node holding the launch secret', async () => {
    const { relay, node } = utilityPair();
    try {
      const { url } = await relay.start();
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      // The relay process answers only holders of main's launch secret (§12); the node holds it.
      expect((await fetch(`${url}/healthz`)).status).toBe(401);
      await node.start({ relayUrl: url, relayLaunchSecret: relay.launchSecret, provider: 'test', model: 'test-model' });
      await vi.waitFor(() => expect(node.status().fingerprint).toMatch(/^[0-9a-f]{64}$/), { timeout: 10_000 });
      await vi.waitFor(async () => expect(await relay.nodeCount()).toBe(1), { timeout: 10_000 });
    } finally {
      await node.stop();
      await relay.stop();
    }
  });

  it('runs the built-in engine (local provider) in the node process; a bad model file fails the start in the engine’s words', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tp-utility-local-'));
    const { relay, node } = utilityPair();
    try {
      const { url } = await relay.start();
      const missing = await node.start({ relayUrl: url, relayLaunchSecret: relay.launchSecret, provider: 'local', model: 'tiny', modelFile: join(dir, 'missing.gguf') }).catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(AppError);
      expect(missing).toMatchObject({ code: 'local_engine_model_not_found', message: expect.stringContaining('model file was not found') });
      await expect(node.start({ relayUrl: url, relayLaunchSecret: relay.launchSecret, provider: 'local', model: 'tiny' })).rejects.toThrow('Choose the .gguf model file');

      const modelFile = join(dir, 'tiny.gguf');
      await writeTinyGguf(modelFile, { seed: 4, contextLength: 8192 });
      await node.start({ relayUrl: url, relayLaunchSecret: relay.launchSecret, provider: 'local', model: 'tiny', modelFile, contextSize: 8192, threads: 1 });
      await vi.waitFor(() => expect(node.status().fingerprint).toMatch(/^[0-9a-f]{64}$/), { timeout: 10_000 });
      await vi.waitFor(async () => expect(await relay.nodeCount()).toBe(1), { timeout: 10_000 });
    } finally {
      await node.stop();
      await relay.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
