// Relay benchmark: `npm run bench:relay` prints a table; `-- --json` prints one JSON object.
// Full encrypted round trips over loopback with an instant compute node (bench/relay-instant-node.ts):
// client encrypt -> relay -> node decrypt & encrypt -> relay -> client decrypt, for the memory
// store and the Redis store (own redis-server on a free port). "Added latency" = wall time of a
// round trip minus the time spent in crypto, i.e. what the relay and HTTP add.
// Three processes, as in production: the relay (bin/tokenplace-relay.js, headless), the node, and
// this one playing the clients; node and clients speak keep-alive HTTP/1.1 (node:http). RSS is the
// relay process's: idle after start (`rss_mb_idle`), and on a fresh relay holding 10 000 pending
// requests.
// Targets: added latency p50 <= 5 ms, p99 <= 25 ms; RSS with 10 000 pending <= 200 MB (issue 3);
// >= 600 round trips/s with the memory store, idle RSS <= 80 MB (issue 15).
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { decryptJson, encryptJson, generateRsaKeyPair, openAeadReply, sealAeadRequest, type RsaKeyPair } from '../src-main/crypto';
import { call } from '../test-support/relay/http';
import { startLocalRedis, startLocalRedisCluster, type LocalRedis } from '../test-support/relay/redis-server';
import { cpuMsOf, rssMbOf, spawnRelayProcess, type RelayProcess } from '../test-support/relay/relay-process';
import { PROTOCOL_ID, PROTOCOL_VERSION } from '../src-shared/protocol/constants';
import { keepAlivePost } from './keep-alive-post';
import { quantile, round } from './stats';

const json = process.argv.includes('--json');
const LATENCY_ROUND_TRIPS = 300;
const LATENCY_MAX_MS = 8000;
const THROUGHPUT_MS = 3000;
const CLIENTS = 8;
const NODE_POLLERS = 4;
const PENDING = 10_000;
const OAEP = { padding: 'oaep-sha256' } as const;
/**
 * `--profile cbc`: the reference envelope both ways (RSA-OAEP to the node and back to the client:
 * two private-key operations per round trip). Default `aead-v1`, what our client and node speak to
 * each other (§10: one RSA unwrap at the node, AES-GCM both ways). Either way every round trip is
 * encrypted end to end and the relay's work is the same.
 */
const PROFILE = process.argv.includes('--profile') ? process.argv[process.argv.indexOf('--profile') + 1] : 'aead-v1';
if (PROFILE !== 'aead-v1' && PROFILE !== 'cbc') throw new Error(`--profile must be aead-v1 or cbc (got ${String(PROFILE)})`);

interface StoreResult {
  round_trips_per_s: number;
  rss_mb_idle: number;
  added_latency_p50_ms: number;
  added_latency_p99_ms: number;
  round_trip_p50_ms: number;
  crypto_p50_ms: number;
  rss_mb_10k_pending: number;
  rss_mb_before_pending: number;
  redis_used_memory_mb?: number;
  latency_samples: number;
  throughput_round_trips: number;
  cpu_ms_per_round_trip: { relay: number; node: number; clients: number };
  /** The same over the latency phase (one round trip at a time): no batching, so less dependent on load. */
  cpu_ms_per_round_trip_serial: { relay: number; node: number; clients: number };
}


/** Crypto milliseconds spent by the node per request id (added to the client's own). */
const nodeCryptoMs = new Map<string, number>();

function timed<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const value = fn();
  return [value, performance.now() - start];
}

interface InstantNode {
  publicKeyWire: string;
  pid: number;
  stop(): Promise<void>;
}

/** The instant node in its own process (`pollers` 0: registered, never polling). */
async function startNode(relayUrl: string, pollers: number): Promise<InstantNode> {
  const child: ChildProcess = fork(join(__dirname, 'relay-instant-node.ts'), [relayUrl, String(pollers)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const publicKeyWire = await new Promise<string>((resolve, reject) => {
    child.on('message', (m: { ready?: string; cryptoMs?: [string, number] }) => {
      if (m.ready) resolve(m.ready);
      if (m.cryptoMs) nodeCryptoMs.set(m.cryptoMs[0], m.cryptoMs[1]);
    });
    child.once('exit', (code) => reject(new Error(`instant node exited ${code}`)));
  });
  return {
    publicKeyWire,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}

/** The request sealed to the node, and how to open its reply (§1 reference CBC, or §10 aead-v1). */
function sealFor(node: { publicKeyWire: string }, client: RsaKeyPair, requestId: string): { env: { ciphertext: string; cipherkey: string; iv: string }; open(reply: unknown): unknown } {
  const inner = { protocol: PROTOCOL_ID, version: PROTOCOL_VERSION, request_id: requestId, client_public_key: client.publicKeyWire, api_v1_request: { model: 'qwen3-8b-instruct', messages: [{ role: 'user', content: 'What is the capital of France?' }], options: {} } };
  if (PROFILE === 'cbc') return { env: encryptJson(inner, node.publicKeyWire, OAEP), open: (reply) => decryptJson(reply as never, client.privateKeyPem, OAEP) };
  const { envelope, session } = sealAeadRequest(JSON.stringify(inner), { requestId, clientPublicKey: client.publicKeyWire, nodePublicKey: node.publicKeyWire });
  return { env: envelope, open: (reply) => JSON.parse(openAeadReply(session, { ...(reply as object), ciphertext: (reply as { chat_history?: string }).chat_history }).toString('utf8')) as unknown };
}

/** One full encrypted round trip; returns [wall ms, crypto ms]. */
async function roundTrip(relayUrl: string, node: { publicKeyWire: string }, client: RsaKeyPair): Promise<[number, number]> {
  const requestId = randomBytes(16).toString('hex');
  const start = performance.now();
  const [sealed, encMs] = timed(() => sealFor(node, client, requestId));
  const { env } = sealed;
  const sub = await keepAlivePost(relayUrl, '/api/v1/relay/requests', { server_public_key: node.publicKeyWire, client_public_key: client.publicKeyWire, request_id: requestId, protocol: PROTOCOL_ID, version: PROTOCOL_VERSION, ciphertext: env.ciphertext, cipherkey: env.cipherkey, iv: env.iv, cancel_token: requestId });
  if (sub.status !== 200) throw new Error(`submit failed: ${sub.status} ${JSON.stringify(sub.body)}`);
  const got = await keepAlivePost<{ ciphertext: string; cipherkey: string; iv: string }>(relayUrl, '/api/v1/relay/responses/retrieve', { client_public_key: client.publicKeyWire, request_id: requestId, wait_seconds: 10 });
  if (got.status !== 200) throw new Error(`retrieve failed: ${got.status} ${JSON.stringify(got.body)}`);
  const [reply, decMs] = timed(() => sealed.open(got.body) as { api_v1_response: { message: { content: string } } });
  const wall = performance.now() - start;
  if (!reply.api_v1_response.message.content.startsWith('echo: ')) throw new Error('wrong answer');
  const nodeMs = nodeCryptoMs.get(requestId) ?? 0;
  nodeCryptoMs.delete(requestId);
  return [wall, encMs + decMs + nodeMs];
}

async function benchStore(redisUrl: string | undefined, client: RsaKeyPair): Promise<StoreResult> {
  // The relay and the node run as their own processes, as in production; this process plays the clients.
  const relay = await spawnRelay(redisUrl);
  let node: InstantNode | undefined;
  try {
    const rssIdle = await idleRss(relay);
    const running = await startNode(relay.url, NODE_POLLERS);
    node = running;

    for (let i = 0; i < 20; i++) await roundTrip(relay.url, running, client); // warm-up
    const added: number[] = [];
    const walls: number[] = [];
    const cryptos: number[] = [];
    const serialAtStart = cpuNow(relay.pid, running.pid);
    const latencyEnd = performance.now() + LATENCY_MAX_MS;
    while (added.length < LATENCY_ROUND_TRIPS && performance.now() < latencyEnd) {
      const [wall, crypto] = await roundTrip(relay.url, running, client);
      walls.push(wall);
      cryptos.push(crypto);
      added.push(Math.max(0, wall - crypto));
    }

    const cpuMsPerRoundTripSerial = cpuPerRoundTrip(serialAtStart, cpuNow(relay.pid, running.pid), added.length);
    let done = 0;
    const cpuAtStart = { relay: cpuMsOf(relay.pid), node: cpuMsOf(running.pid), clients: process.cpuUsage() };
    const throughputStart = performance.now();
    const throughputEnd = throughputStart + THROUGHPUT_MS;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (performance.now() < throughputEnd) {
          await roundTrip(relay.url, running, client);
          done++;
        }
      }),
    );
    const throughputSeconds = (performance.now() - throughputStart) / 1000;
    const clientsCpu = process.cpuUsage(cpuAtStart.clients);
    // CPU per round trip of each process: what the round trips cost whatever else runs on the machine.
    const cpuMsPerRoundTrip = {
      relay: round((cpuMsOf(relay.pid) - cpuAtStart.relay) / Math.max(1, done), 3),
      node: round((cpuMsOf(running.pid) - cpuAtStart.node) / Math.max(1, done), 3),
      clients: round((clientsCpu.user + clientsCpu.system) / 1000 / Math.max(1, done), 3),
    };
    await running.stop();
    await relay.stop();
    return {
      rss_mb_idle: rssIdle,
      ...(await pendingFootprint(redisUrl, client)),
      round_trips_per_s: round(done / throughputSeconds, 1),
      added_latency_p50_ms: round(quantile(added, 0.5)),
      added_latency_p99_ms: round(quantile(added, 0.99)),
      round_trip_p50_ms: round(quantile(walls, 0.5)),
      crypto_p50_ms: round(quantile(cryptos, 0.5)),
      latency_samples: added.length,
      throughput_round_trips: done,
      cpu_ms_per_round_trip: cpuMsPerRoundTrip,
      cpu_ms_per_round_trip_serial: cpuMsPerRoundTripSerial,
    };
  } finally {
    await node?.stop();
    await relay.stop();
  }
}

interface CpuNow {
  relay: number;
  node: number;
  clients: number;
}

/** CPU ms used so far by the relay, the node and this process (the clients). */
function cpuNow(relayPid: number, nodePid: number): CpuNow {
  const own = process.cpuUsage();
  return { relay: cpuMsOf(relayPid), node: cpuMsOf(nodePid), clients: (own.user + own.system) / 1000 };
}

function cpuPerRoundTrip(from: CpuNow, to: CpuNow, roundTrips: number): CpuNow {
  const per = (k: keyof CpuNow) => round((to[k] - from[k]) / Math.max(1, roundTrips), 3);
  return { relay: per('relay'), node: per('node'), clients: per('clients') };
}

/** The relay's RSS once it has settled after start (no request yet): the median of a few samples a second apart. */
async function idleRss(relay: RelayProcess): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    samples.push(rssMbOf(relay.pid));
  }
  return quantile(samples, 0.5);
}

/** Starts the headless relay (bin/tokenplace-relay.js) as its own process, to measure its RSS alone. */
function spawnRelay(redisUrl: string | undefined): Promise<RelayProcess> {
  const args = ['--no-rate-limits', '--quiet', '--max-queue-depth', String(PENDING * 2), '--poll-wait-seconds', '5'];
  if (redisUrl) args.push('--redis', redisUrl, '--redis-prefix', `bench:${randomBytes(4).toString('hex')}:`);
  return spawnRelayProcess(args);
}

const rssMb = rssMbOf;

/** RSS of a relay process holding 10 000 pending encrypted requests (+ Redis memory for the Redis store). */
async function pendingFootprint(redisUrl: string | undefined, client: RsaKeyPair) {
  const relay = await spawnRelay(redisUrl);
  let node: InstantNode | undefined;
  try {
    // Registered and renewing (a slow fill outlasts a lease), never polling: the queue fills.
    const holder = await startNode(relay.url, 0);
    node = holder;
    // A realistic envelope (~1.3 KB ciphertext like the recorded ones), reused under fresh ids.
    const env = encryptJson({ protocol: PROTOCOL_ID, api_v1_request: { messages: [{ role: 'user', content: 'x'.repeat(700) }] } }, holder.publicKeyWire, OAEP);
    const before = rssMb(relay.pid);
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < PENDING) {
          next++;
          const id = randomBytes(16).toString('hex');
          const r = await keepAlivePost(relay.url, '/api/v1/relay/requests', { server_public_key: holder.publicKeyWire, client_public_key: client.publicKeyWire, request_id: id, protocol: PROTOCOL_ID, version: 1, ciphertext: env.ciphertext, cipherkey: env.cipherkey, iv: env.iv, cancel_token: id });
          if (r.status !== 200) throw new Error(`pending submit failed: ${r.status}`);
        }
      }),
    );
    const health = await call<{ registeredServers: { queue_depth: number }[] }>(relay.url, 'GET', '/healthz');
    const depth = health.body.registeredServers[0]?.queue_depth ?? 0;
    if (depth !== PENDING) throw new Error(`expected ${PENDING} pending requests, relay reports ${depth}`);
    const rss = rssMb(relay.pid);
    let redisMb: number | undefined;
    if (redisUrl) {
      const { Redis } = await import('ioredis');
      const r = new Redis(redisUrl);
      const info = await r.info('memory');
      r.disconnect();
      redisMb = round(Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0) / 1048576, 1);
    }
    return { rss_mb_10k_pending: rss, rss_mb_before_pending: before, ...(redisMb !== undefined && { redis_used_memory_mb: redisMb }) };
  } finally {
    await node?.stop();
    await relay.stop();
  }
}

/** benchStore on a Redis that `start` runs (stopped after), or why it could not run. */
async function benchOn(start: () => Promise<LocalRedis>, client: RsaKeyPair): Promise<StoreResult | { skipped: string }> {
  try {
    const server = await start();
    try {
      return await benchStore(server.url, client);
    } finally {
      await server.stop();
    }
  } catch (err) {
    return { skipped: (err as Error).message };
  }
}

async function main(): Promise<void> {
  const client = await generateRsaKeyPair();
  const memory = await benchStore(undefined, client);
  // `--memory-only`: skip the Redis store (a quicker run while profiling the relay's own costs).
  const redis = process.argv.includes('--memory-only') ? { skipped: '--memory-only' } : await benchOn(() => startLocalRedis(), client);
  // `--redis-cluster`: the Redis store on a local 3-master Redis Cluster too (its memory: the first master's).
  const redisCluster = process.argv.includes('--redis-cluster') ? await benchOn(() => startLocalRedisCluster(3), client) : undefined;
  const result = {
    store: 'memory',
    profile: PROFILE,
    round_trips_per_s: memory.round_trips_per_s,
    added_latency_p50_ms: memory.added_latency_p50_ms,
    added_latency_p99_ms: memory.added_latency_p99_ms,
    rss_mb_10k_pending: memory.rss_mb_10k_pending,
    rss_mb_idle: memory.rss_mb_idle,
    targets: { round_trips_per_s: 600, added_latency_p50_ms: 5, added_latency_p99_ms: 25, rss_mb_10k_pending: 200, rss_mb_idle: 80 },
    // Latency is CPU-bound on loopback: report how busy the machine was.
    machine: { cpus: cpus().length, load_average_1m: round(loadavg()[0] ?? 0) },
    stores: { memory, redis, ...(redisCluster && { redis_cluster: redisCluster }) },
  };
  if (json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const rows: [string, string, string][] = [];
  const keysShown: (keyof StoreResult)[] = ['round_trips_per_s', 'rss_mb_idle', 'added_latency_p50_ms', 'added_latency_p99_ms', 'round_trip_p50_ms', 'crypto_p50_ms', 'rss_mb_before_pending', 'rss_mb_10k_pending', 'redis_used_memory_mb'];
  for (const k of keysShown) {
    const r = 'skipped' in redis ? 'skipped' : String(redis[k] ?? '-');
    rows.push([k, String(memory[k] ?? '-'), r]);
  }
  console.log(`relay benchmark (loopback, full encrypted round trips (${PROFILE}), instant node)`);
  console.log(`${'metric'.padEnd(24)}${'memory'.padStart(12)}${'redis'.padStart(12)}`);
  for (const [k, m, r] of rows) console.log(`${k.padEnd(24)}${m.padStart(12)}${r.padStart(12)}`);
  if (redisCluster) {
    const c = redisCluster;
    console.log(`redis cluster (3 masters): ${'skipped' in c ? c.skipped : keysShown.map((k) => `${k} ${c[k] ?? '-'}`).join(', ')}`);
  }
  console.log('targets: >= 600 round trips/s (memory); added latency p50 <= 5 ms, p99 <= 25 ms; RSS idle <= 80 MB, with 10 000 pending <= 200 MB');
  console.log(`machine: ${result.machine.cpus} CPUs, load average (1 min) ${result.machine.load_average_1m}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
