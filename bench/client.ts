// Client round-trip benchmark: `npm run bench:client` prints a table; `-- --json` prints one JSON object.
// Our relay + one node on the deterministic test provider (no model delay), all on loopback:
// end-to-end chat latency with the retrieve long poll vs plain 500 ms polling, per-phase timings,
// and the local gateway's overhead (openai client → gateway → relay → node).
import OpenAI from 'openai';
import { performance } from 'node:perf_hooks';
import { KeyHolder } from '../src-main/crypto';
import { ChatService, ProfilesStore, RelayClient, startGateway, type ChatAnswer } from '../src-main/client';
import { MemoryJsonStorage, MemorySecretStore } from '../test-support/client/memory-storage';
import { createDeterministicTestProvider, startComputeNode } from '../src-main/node';
import { startRelay } from '../src-main/relay';
import { median } from './stats';

const json = process.argv.includes('--json');
const RUNS = 15;

const p95 = (v: number[]) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.ceil(v.length * 0.95) - 1)]!;
const round = (x: number) => Math.round(x * 10) / 10;

async function main(): Promise<void> {
  const relay = await startRelay({ rateLimits: { enabled: false }, pollWaitSeconds: 1 });
  const node = await startComputeNode({
    relayUrl: relay.url,
    provider: createDeterministicTestProvider({ models: ['deterministic-test'] }),
    models: [{ id: 'qwen3-8b-instruct', providerModel: 'deterministic-test' }],
    maxConcurrency: 4,
  });
  const keys = await KeyHolder.create();
  const longPoll = new RelayClient({ baseUrl: relay.url, keys });
  const polling = new RelayClient({ baseUrl: relay.url, keys, longPollWaitSeconds: 0 });
  const messages = [{ role: 'user' as const, content: 'benchmark prompt' }];
  while ((await longPoll.health()).nodeCount !== 1) await new Promise((r) => setTimeout(r, 50));
  await longPoll.chat({ messages }); // warm-up

  const measure = async (client: RelayClient) => {
    const answers: ChatAnswer[] = [];
    for (let i = 0; i < RUNS; i++) answers.push(await client.chat({ messages }));
    return answers;
  };
  const lp = await measure(longPoll);
  const pl = await measure(polling);

  const profiles = await ProfilesStore.open({ storage: new MemoryJsonStorage(), secrets: new MemorySecretStore() });
  profiles.setEmbeddedUrl(relay.url);
  const service = new ChatService({ profiles });
  const gw = await startGateway({ chat: (r) => service.chat(r), listModels: () => service.models() });
  const openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: gw.token, maxRetries: 0 });
  const gateway: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await openai.chat.completions.create({ model: 'qwen3-8b-instruct', messages });
    gateway.push(performance.now() - t);
  }
  const health: number[] = [];
  for (let i = 0; i < RUNS; i++) health.push((await longPoll.health()).latencyMs ?? NaN);

  await gw.close();
  service.close();
  await node.stop();
  await relay.close();

  const total = (a: ChatAnswer[]) => a.map((x) => x.timings.totalMs);
  const phase = (k: 'findNodeMs' | 'encryptMs' | 'submitMs' | 'waitMs' | 'decryptMs') => round(median(lp.map((a) => a.timings[k])));
  const result = {
    runs: RUNS,
    long_poll_total_ms_median: round(median(total(lp))),
    long_poll_total_ms_p95: round(p95(total(lp))),
    long_poll_retrieve_mode: lp.at(-1)!.retrieveMode,
    polling_500ms_total_ms_median: round(median(total(pl))),
    polling_500ms_total_ms_p95: round(p95(total(pl))),
    gateway_openai_round_trip_ms_median: round(median(gateway)),
    health_latency_ms_median: round(median(health)),
    phases_ms_median: {
      find_node: phase('findNodeMs'),
      encrypt: phase('encryptMs'),
      submit: phase('submitMs'),
      wait: phase('waitMs'),
      decrypt: phase('decryptMs'),
    },
    reply_wrap: lp[0]!.encryption.replyWrap,
  };
  if (json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  console.log(`client round trips, ${RUNS} runs each, loopback, deterministic provider (no model time)`);
  console.table({
    'chat, long poll': { median_ms: result.long_poll_total_ms_median, p95_ms: result.long_poll_total_ms_p95 },
    'chat, 500 ms polling': { median_ms: result.polling_500ms_total_ms_median, p95_ms: result.polling_500ms_total_ms_p95 },
    'openai client via gateway': { median_ms: result.gateway_openai_round_trip_ms_median, p95_ms: round(p95(gateway)) },
    'health (GET /api/v1/health)': { median_ms: result.health_latency_ms_median, p95_ms: round(p95(health)) },
  });
  console.table(result.phases_ms_median);
  console.log(`retrieve mode: ${result.long_poll_retrieve_mode}; reply wrap: ${result.reply_wrap}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
