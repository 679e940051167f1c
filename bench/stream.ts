// Stream benchmark: `npm run bench:stream` prints a table; `-- --json` prints one JSON object;
// `-- --redis` runs the relay on a Redis store (own redis-server on a free port).
// The relay runs as its own headless process (bin/tokenplace-relay.js). Loopback only, bounded in
// count and time. Three phases:
//   stack:      the whole stack: our compute node (this process) on the deterministic test
//               provider emitting tokens at a fixed rate → relay → our relay client (this process,
//               reading Server-Sent Events, §11.5/§11.7), STACK_STREAMS chats at a time. Each provider
//               delta is timestamped as the node's provider emits it, each client delta as the client
//               yields it (authenticated), matched by text position: "added" = client yield −
//               provider emission. The first delta of each answer gives the added time to first
//               token; the time from chat() to the provider's call (dispatch: seal, submit, node
//               poll, open) is reported beside it.
//   relay hop:  this process plays nodes (appending wire chunks over keep-alive HTTP, one append in
//               flight per request and at most one per 20 ms, as §11.3 coalescing does) and clients
//               (one SSE reader per request): append sent → event received, per chunk.
//   many:       1,000 concurrent streams appending as fast as §11.3 allows (same synthetic actors):
//               chunks/s delivered to readers, relay CPU per chunk (/proc of the relay process),
//               its RSS.
// Targets (issue 12): added ttft p50 ≤ 10 ms and per chunk p50 ≤ 3 ms (whole stack); ≥ 5,000
// chunks/s; 1,000 streams ≤ 250 MB.
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { KeyHolder, generateRsaKeyPair } from '../src-main/crypto';
import { RelayClient } from '../src-main/client';
import { createDeterministicTestProvider, startComputeNode, type ModelProvider } from '../src-main/node';
import { PROTOCOL_ID } from '../src-shared/protocol/constants';
import { STREAM_LIMITS, type StreamWireChunk } from '../src-shared/protocol/stream';
import { CAPABILITIES } from '../test-support/relay/actors';
import { startLocalRedis, type LocalRedis } from '../test-support/relay/redis-server';
import { cpuMsOf, rssMbOf, spawnRelayProcess, type RelayProcess } from '../test-support/relay/relay-process';
import { wireChunk } from '../test-support/relay/stream';
import { keepAlivePost } from './keep-alive-post';
import { quantile, round } from './stats';

const json = process.argv.includes('--json');
const useRedis = process.argv.includes('--redis');
/** `--long-poll`: the client reads by its long-poll fallback (the events route answers 404 to it), for comparison. */
const clientLongPoll = process.argv.includes('--long-poll');
/** `--node-fetch`: our node makes its relay calls by fetch, as before relay-post.ts, for comparison. */
const nodeFetch = process.argv.includes('--node-fetch');
/** `--stack-only`: only the whole-stack phase (a few seconds, while profiling). */
const stackOnly = process.argv.includes('--stack-only');
const LATENCY_STREAMS = 20;
const LATENCY_CHUNKS_PER_STREAM = 50;
const MANY_STREAMS = 1000;
const MANY_MS = 6000;
const CHUNK_CHARS = 96; // ~ 20 ms of tokens: {"delta":"…"} of a few words, sealed, base64
const STACK_STREAMS = 8;
const STACK_ROUNDS = 3;
const STACK_TOKENS = 60;
const argValue = (name: string) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
/** The provider's fixed token rate (`--tokens-per-s N`): 40/s, a fast local model; over 50/s tokens come faster than §11.3 appends. */
const TOKENS_PER_S = Number(argValue('--tokens-per-s') ?? 40);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Keep-alive JSON POSTs (the nodes' appends, the submits and polls). */
const post = (base: string, path: string, body: unknown) => keepAlivePost(base, path, body);

interface Stream {
  requestId: string;
  next: number;
  received: number;
  /** Append send time by sequence (latency phase). */
  sentAt: Map<number, number>;
  done: Promise<void>;
  close(): void;
}

/** One SSE reader (own connection): calls `onChunk(sequence)` per chunk event. */
function readEvents(base: string, clientKey: string, requestId: string, onChunk: (sequence: number) => void): { done: Promise<void>; close(): void; opened: Promise<void> } {
  const payload = JSON.stringify({ client_public_key: clientKey, request_id: requestId, after: -1 });
  let req: ReturnType<typeof request> | undefined;
  let opened!: () => void;
  const openedP = new Promise<void>((r) => (opened = r));
  const done = new Promise<void>((resolve, reject) => {
    req = request(new URL('/api/v1/relay/stream/events', base), { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`events answered ${res.statusCode}`));
      opened();
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buffer += c;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith('id: ')) onChunk(Number(block.slice(4, block.indexOf('\n'))));
        }
      });
      res.on('end', resolve);
      res.on('error', () => resolve());
    });
    req.on('error', () => resolve());
    req.end(payload);
  });
  return { done, close: () => req?.destroy(), opened: openedP };
}

async function openStreams(relay: RelayProcess, count: number, onChunk: (s: Stream, sequence: number) => void) {
  const [node, client] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
  const reg = await post(relay.url, '/api/v1/relay/servers/register', { server_public_key: node.publicKeyWire, capabilities: { ...CAPABILITIES, max_concurrency: 128 } });
  if (reg.status !== 200) throw new Error(`register failed: ${reg.status}`);
  const credential = String(reg.body.control_credential);
  const envelope = randomBytes(900).toString('base64');
  const streams: Stream[] = [];
  for (let i = 0; i < count; i++) {
    const requestId = randomBytes(16).toString('hex');
    const sub = await post(relay.url, '/api/v1/relay/requests', { server_public_key: node.publicKeyWire, client_public_key: client.publicKeyWire, request_id: requestId, protocol: PROTOCOL_ID, version: 1, ciphertext: envelope, cipherkey: 'YWVhZC12MQ==', iv: 'AAAAAAAAAAAAAAAA', cancel_token: requestId });
    if (sub.status !== 200) throw new Error(`submit failed: ${sub.status}`);
    const work = await post(relay.url, '/api/v1/relay/servers/poll', { server_public_key: node.publicKeyWire, control_credential: credential });
    if (work.body.request_id !== requestId) throw new Error('dispatch out of order');
    const s = { requestId, next: 0, received: 0, sentAt: new Map<number, number>() } as Stream;
    const reader = readEvents(relay.url, client.publicKeyWire, requestId, (sequence) => {
      s.received++;
      onChunk(s, sequence);
    });
    await reader.opened;
    s.done = reader.done;
    s.close = reader.close;
    streams.push(s);
  }
  const append = async (s: Stream, chunks: StreamWireChunk[]) =>
    post(relay.url, '/api/v1/relay/stream/append', { server_public_key: node.publicKeyWire, control_credential: credential, client_public_key: client.publicKeyWire, request_id: s.requestId, chunks });
  return { streams, append };
}

/** One stream's node: one append in flight, at most one per 20 ms (§11.3), 429 → wait and send again. */
async function appendLoop(s: Stream, append: (s: Stream, c: StreamWireChunk[]) => Promise<{ status: number; body: Record<string, unknown> }>, until: () => boolean, stats: { refused: number }, maxChunks = Infinity) {
  const chunkTemplate = wireChunk(0, false, CHUNK_CHARS);
  while (until() && s.next < maxChunks) {
    const started = performance.now();
    const sequence = s.next;
    s.sentAt.set(sequence, started);
    const r = await append(s, [{ ...chunkTemplate, sequence, iv: wireChunk(sequence, false, 4).iv }]);
    if (r.status === 200) s.next++;
    else if (r.status === 429) {
      stats.refused++;
      await sleep(Number((r.body.error as { retry_after_ms?: number })?.retry_after_ms ?? 100));
      continue;
    } else throw new Error(`append answered ${r.status}`);
    const left = STREAM_LIMITS.minAppendIntervalMs - (performance.now() - started);
    if (left > 0) await sleep(left);
  }
}

/** Text position → time marks of one answer, at the provider (node side) and at the client's yield. */
interface AnswerMarks {
  chatAt: number;
  providerAt?: number;
  provider: [end: number, at: number][];
  client: [end: number, at: number][];
}

/** The test provider with each delta timestamped as it is emitted (before the node takes it). */
function timedProvider(inner: ModelProvider, answers: Map<string, AnswerMarks>): ModelProvider {
  return {
    ...inner,
    chat(req, signal) {
      const prompt = req.messages.at(-1)?.content ?? '';
      const marks = answers.get(prompt);
      const onDelta = req.onDelta;
      if (!marks || !onDelta) return inner.chat(req, signal);
      marks.providerAt = performance.now();
      let end = 0;
      return inner.chat(
        {
          ...req,
          onDelta: (text) => {
            // The node holds a delta's trailing white space until the text after it (stream-text.ts):
            // what is visible is the delta up to its last non-space character.
            const visibleEnd = end + text.trimEnd().length;
            end += text.length;
            if (visibleEnd > 0 && text.trim() !== '') marks.provider.push([visibleEnd, performance.now()]);
            return onDelta(text);
          },
        },
        signal,
      );
    },
  };
}

/** The whole stack: node → relay → client, matched by text position (see the header). */
async function stackPhase(relay: RelayProcess) {
  const answers = new Map<string, AnswerMarks>();
  const provider = timedProvider(createDeterministicTestProvider({ models: ['deterministic-test'], tokensPerSecond: TOKENS_PER_S, answerTokens: STACK_TOKENS }), answers);
  const node = await startComputeNode({ relayUrl: relay.url, provider, models: [{ id: 'qwen3-8b-instruct', providerModel: 'deterministic-test' }], maxConcurrency: STACK_STREAMS, ...(nodeFetch && { fetch }) });
  const eventsRefused: typeof fetch = (input, init) =>
    String(input).endsWith('/api/v1/relay/stream/events') ? Promise.resolve(new Response('{"error":{"message":"Not found","code":404}}', { status: 404 })) : fetch(input, init);
  const client = new RelayClient({ baseUrl: relay.url, keys: await KeyHolder.create(), ...(clientLongPoll && { fetch: eventsRefused }) });
  try {
    while ((await client.health()).nodeCount !== 1) await sleep(50);
    const chat = async (prompt: string, record: boolean) => {
      const marks: AnswerMarks = { chatAt: performance.now(), provider: [], client: [] };
      if (record) answers.set(prompt, marks);
      let end = 0;
      const answer = await client.chat({
        messages: [{ role: 'user', content: prompt }],
        onDelta: (d) => {
          end = d.snapshot ? d.text.length : end + d.text.length;
          marks.client.push([end, performance.now()]);
        },
      });
      if (answer.delivery !== 'chunks') throw new Error(`the answer arrived as ${answer.delivery}, not as chunks`);
      return answer;
    };
    await chat('warm-up', false);
    const cpuStart = cpuMsOf(relay.pid);
    const ownCpuStart = process.cpuUsage();
    for (let round = 0; round < STACK_ROUNDS; round++) {
      await Promise.all(Array.from({ length: STACK_STREAMS }, (_, i) => chat(`bench stream ${round}.${i}`, true)));
    }
    const cpuMs = cpuMsOf(relay.pid) - cpuStart;
    const ownCpu = process.cpuUsage(ownCpuStart);
    const firsts: number[] = [];
    const deltas: number[] = [];
    const dispatch: number[] = [];
    let clientDeltas = 0;
    for (const marks of answers.values()) {
      clientDeltas += marks.client.length;
      if (marks.providerAt !== undefined) dispatch.push(marks.providerAt - marks.chatAt);
      let c = 0;
      marks.provider.forEach(([end, at], i) => {
        while (c < marks.client.length && marks.client[c]![0] < end) c++;
        const shown = marks.client[c];
        if (!shown) throw new Error(`provider text up to ${end} never reached the client`);
        (i === 0 ? firsts : deltas).push(shown[1] - at);
      });
    }
    // This process is the node, its provider and the client: its CPU per delta is what those add per chunk.
    const ownCpuMs = (ownCpu.user + ownCpu.system) / 1000;
    return { firsts, deltas, dispatch, clientDeltas, cpuMsPerDelta: cpuMs / Math.max(1, clientDeltas), nodeClientCpuMsPerDelta: ownCpuMs / Math.max(1, clientDeltas) };
  } finally {
    await node.stop();
  }
}

async function latencyPhase(relay: RelayProcess) {
  const hops: number[] = [];
  const firsts: number[] = [];
  const { streams, append } = await openStreams(relay, LATENCY_STREAMS, (s, sequence) => {
    const sent = s.sentAt.get(sequence);
    if (sent === undefined) return;
    const hop = performance.now() - sent;
    (sequence === 0 ? firsts : hops).push(hop);
  });
  const stats = { refused: 0 };
  const cpuStart = cpuMsOf(relay.pid);
  await Promise.all(streams.map((s) => appendLoop(s, append, () => true, stats, LATENCY_CHUNKS_PER_STREAM)));
  await sleep(200);
  const cpuMs = cpuMsOf(relay.pid) - cpuStart;
  for (const s of streams) s.close();
  return { hops, firsts, refused: stats.refused, cpuMsPerChunk: cpuMs / Math.max(1, hops.length + firsts.length) };
}

async function manyPhase(relay: RelayProcess) {
  let delivered = 0;
  const { streams, append } = await openStreams(relay, MANY_STREAMS, () => void delivered++);
  const rssOpen = rssMbOf(relay.pid);
  const stats = { refused: 0 };
  const cpuStart = cpuMsOf(relay.pid);
  const deliveredStart = delivered;
  const started = performance.now();
  const end = started + MANY_MS;
  let rssPeak = rssOpen;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMbOf(relay.pid))), 250);
  await Promise.all(streams.map((s) => appendLoop(s, append, () => performance.now() < end, stats)));
  await sleep(300); // the last events arrive
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  const chunks = delivered - deliveredStart;
  const cpuMs = cpuMsOf(relay.pid) - cpuStart;
  const appended = streams.reduce((n, s) => n + s.next, 0);
  for (const s of streams) s.close();
  return { chunks, appended, seconds, cpuMs, rssOpen, rssPeak: Math.max(rssPeak, rssMbOf(relay.pid)), refused: stats.refused };
}

async function main(): Promise<void> {
  let redis: LocalRedis | undefined;
  if (useRedis) redis = await startLocalRedis();
  const storeArgs = redis ? ['--redis', redis.url, '--redis-prefix', `bench:${randomBytes(4).toString('hex')}:`] : [];
  const relayArgs = ['--no-rate-limits', '--quiet', '--max-long-polls-per-sender', '4096', '--max-connections', '8192', '--max-queue-depth', '4096', ...storeArgs];
  try {
    let relay = await spawnRelayProcess(relayArgs);
    let stack: Awaited<ReturnType<typeof stackPhase>>;
    try {
      stack = await stackPhase(relay);
    } finally {
      await relay.stop();
    }
    if (stackOnly) {
      const stackOnlyResult = { added_ttft_p50_ms: round(quantile(stack.firsts, 0.5)), added_ttft_p99_ms: round(quantile(stack.firsts, 0.99)), chunk_added_p50_ms: round(quantile(stack.deltas, 0.5)), chunk_added_p99_ms: round(quantile(stack.deltas, 0.99)), dispatch_p50_ms: round(quantile(stack.dispatch, 0.5)), provider_tokens_per_s: TOKENS_PER_S, client_read: clientLongPoll ? 'long poll' : 'events', client_deltas: stack.clientDeltas, stack_relay_cpu_ms_per_client_delta: round(stack.cpuMsPerDelta, 4), stack_node_client_cpu_ms_per_client_delta: round(stack.nodeClientCpuMsPerDelta, 4), load_average_1m: round(loadavg()[0] ?? 0) };
      process.stdout.write(`${JSON.stringify(stackOnlyResult)}\n`);
      return;
    }
    relay = await spawnRelayProcess(relayArgs);
    let latency: Awaited<ReturnType<typeof latencyPhase>>;
    try {
      latency = await latencyPhase(relay);
    } finally {
      await relay.stop();
    }
    relay = await spawnRelayProcess(relayArgs);
    let many: Awaited<ReturnType<typeof manyPhase>>;
    try {
      many = await manyPhase(relay);
    } finally {
      await relay.stop();
    }
    const result = {
      store: redis ? 'redis' : 'memory',
      added_ttft_p50_ms: round(quantile(stack.firsts, 0.5)),
      chunk_added_p50_ms: round(quantile(stack.deltas, 0.5)),
      chunk_added_p99_ms: round(quantile(stack.deltas, 0.99)),
      chunks_per_s: round(many.chunks / many.seconds, 0),
      relay_cpu_ms_per_chunk: round(many.cpuMs / Math.max(1, many.chunks), 4),
      rss_mb_1000_streams: many.rssPeak,
      latency_scope: 'stack',
      latency_scope_detail: `whole stack: provider delta emitted in our node -> relay process -> delta yielded by our relay client, ${TOKENS_PER_S} tokens/s, ${STACK_STREAMS} answers at a time`,
      provider_tokens_per_s: TOKENS_PER_S,
      client_read: clientLongPoll ? 'long poll (fallback, --long-poll)' : 'Server-Sent Events',
      dispatch_p50_ms: round(quantile(stack.dispatch, 0.5)),
      added_ttft_p99_ms: round(quantile(stack.firsts, 0.99)),
      relay_hop_first_chunk_p50_ms: round(quantile(latency.firsts, 0.5)),
      relay_hop_chunk_p50_ms: round(quantile(latency.hops, 0.5)),
      relay_hop_chunk_p99_ms: round(quantile(latency.hops, 0.99)),
      targets: { added_ttft_p50_ms: 10, chunk_added_p50_ms: 3, chunks_per_s: 5000, rss_mb_1000_streams: 250 },
      details: {
        stack_answers: stack.firsts.length,
        stack_tokens_per_answer: STACK_TOKENS,
        stack_delta_samples: stack.deltas.length,
        stack_client_deltas: stack.clientDeltas,
        stack_relay_cpu_ms_per_client_delta: round(stack.cpuMsPerDelta, 4),
        stack_node_client_cpu_ms_per_client_delta: round(stack.nodeClientCpuMsPerDelta, 4),
        latency_streams: LATENCY_STREAMS,
        latency_samples: latency.hops.length,
        first_chunk_samples: latency.firsts.length,
        latency_refused_429: latency.refused,
        latency_relay_cpu_ms_per_chunk: round(latency.cpuMsPerChunk, 4),
        many_streams: MANY_STREAMS,
        many_seconds: round(many.seconds),
        many_chunks_appended: many.appended,
        many_chunks_delivered: many.chunks,
        many_refused_429: many.refused,
        relay_cpu_ms: many.cpuMs,
        rss_mb_streams_open_idle: many.rssOpen,
        chunk_ciphertext_chars: CHUNK_CHARS,
      },
      machine: { cpus: cpus().length, load_average_1m: round(loadavg()[0] ?? 0) },
    };
    if (json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return;
    }
    console.log(`stream benchmark (loopback, ${result.store} store, relay in its own process)`);
    for (const k of ['added_ttft_p50_ms', 'chunk_added_p50_ms', 'chunk_added_p99_ms', 'chunks_per_s', 'relay_cpu_ms_per_chunk', 'rss_mb_1000_streams'] as const)
      console.log(`${k.padEnd(26)}${String(result[k]).padStart(12)}`);
    console.log(`latency: ${result.latency_scope_detail}; dispatch p50 ${result.dispatch_p50_ms} ms; relay hop alone: first ${result.relay_hop_first_chunk_p50_ms} ms, chunk p50 ${result.relay_hop_chunk_p50_ms} / p99 ${result.relay_hop_chunk_p99_ms} ms`);
    console.log('targets: added ttft p50 <= 10 ms, per chunk p50 <= 3 ms, >= 5,000 chunks/s, 1,000 streams <= 250 MB');
    console.log(`machine: ${result.machine.cpus} CPUs, load average (1 min) ${result.machine.load_average_1m}`);
  } finally {
    await redis?.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
