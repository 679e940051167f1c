// Starts a throwaway redis-server on a free loopback port (tests and bench), or a Redis Cluster of
// several (startLocalRedisCluster); stop() kills them.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../net/free-port';

const run = promisify(execFile);

export interface LocalRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** SIGKILL: the server dies as in a crash, saving nothing. */
  kill(): Promise<void>;
}

/** `serverArgs`: more redis-server options, e.g. `['--requirepass', 'pw']` or an ACL `--user` line. */
export async function startLocalRedis(timeoutMs = 5000, serverArgs: readonly string[] = [], fixedPort?: number): Promise<LocalRedis> {
  const port = fixedPort ?? (await freePort());
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...serverArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server did not start in time')), timeoutMs);
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited early (${code})`));
    });
  });
  child.stdout.removeAllListeners('data');
  child.stdout.resume();
  child.stderr.resume();
  const ended = (signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  return { url: `redis://127.0.0.1:${port}`, port, stop: () => ended('SIGTERM'), kill: () => ended('SIGKILL') };
}

/**
 * One cluster-enabled redis-server (its node file in `dir`); without slots until a cluster is
 * created. `restart` (a server that died) starts it again on its port with its node file: the
 * same cluster node with its slots, holding no data (nothing is saved).
 */
export async function startClusterNode(dir: string, timeoutMs = 5000, restart?: { port: number; nodeFile: string }): Promise<ClusterNode> {
  const nodeFile = restart?.nodeFile ?? join(dir, `nodes-${randomBytes(4).toString('hex')}.conf`);
  const server = await startLocalRedis(timeoutMs, ['--cluster-enabled', 'yes', '--cluster-config-file', nodeFile, '--cluster-node-timeout', '2000', '--dir', dir], restart?.port);
  return { ...server, nodeFile };
}

export interface ClusterNode extends LocalRedis {
  nodeFile: string;
}

export interface LocalRedisCluster extends LocalRedis {
  /** Every master, `url` (the first) included. */
  masters: LocalRedis[];
  /** Kills master `i` (SIGKILL); every node then says cluster_state:fail once it is seen down. */
  killMaster(i: number): Promise<void>;
  /** Starts the killed master `i` again (same port and node file, no data), until cluster_state:ok everywhere. */
  restartMaster(i: number): Promise<void>;
  /** Cluster state (`ok`, `fail`) as the server on `port` reports it. */
  state(port: number): Promise<string>;
  /** Keys matching `pattern` each master holds (SCAN), in the order of `masters`. */
  keysPerMaster(pattern?: string): Promise<number[]>;
}

/** Cluster INFO field of the server on `port`. */
async function clusterState(port: number): Promise<string> {
  const { stdout } = await run('redis-cli', ['-p', String(port), 'cluster', 'info']);
  return /cluster_state:(\w+)/.exec(stdout)?.[1] ?? 'unknown';
}

/**
 * A Redis Cluster of `masters` masters on loopback (no replicas, nothing saved), created with
 * `redis-cli --cluster create`, returned once every node says cluster_state:ok (about 2–4 s).
 */
export async function startLocalRedisCluster(masters = 3, timeoutMs = 20_000): Promise<LocalRedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'tp-redis-cluster-'));
  const nodes: ClusterNode[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    nodes.push(...(await Promise.all(Array.from({ length: masters }, () => startClusterNode(dir)))));
    await run('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'], { timeout: timeoutMs });
    const allOk = async () => {
      const until = Date.now() + timeoutMs;
      for (const n of nodes) {
        while ((await clusterState(n.port)) !== 'ok') {
          if (Date.now() > until) throw new Error(`redis cluster node ${n.port} did not reach cluster_state:ok in time`);
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    };
    await allOk();
    return {
      url: nodes[0]!.url,
      port: nodes[0]!.port,
      masters: nodes,
      stop,
      kill: async () => {
        await Promise.all(nodes.map((n) => n.kill()));
        await rm(dir, { recursive: true, force: true });
      },
      killMaster: (i) => nodes[i]!.kill(),
      async restartMaster(i) {
        const { port, nodeFile } = nodes[i]!;
        nodes[i] = await startClusterNode(dir, timeoutMs, { port, nodeFile });
        await allOk();
      },
      state: clusterState,
      keysPerMaster: (pattern = '*') =>
        Promise.all(nodes.map(async (n) => (await run('redis-cli', ['-p', String(n.port), '--scan', '--pattern', pattern])).stdout.split('\n').filter(Boolean).length)),
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
