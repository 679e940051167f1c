// Built-in engine benchmark (issue 13): `npm run bench:local` prints a table, `-- --json` one object.
// The tiny generated GGUF answers the same prompt with the same output budget, greedy with a fixed
// seed, (a) through node-llama-cpp alone (our LocalEngine) and (b) through the whole stack on
// loopback — our compute node (local provider) → our relay → our client, streaming (§11.7) — in
// the same run, alternating, a few rounds. Tokens per second are completion tokens over the time
// from the first streamed text to the end of the answer (the writing phase), so the one-off
// costs before the first token (finding a node, RSA wrap, prefill) do not dilute either number;
// the time to the first text is reported beside it. Target: overhead_ratio (engine ÷ stack) ≤ 1.1.
// Bounded: the tiny model, MAX_TOKENS tokens per answer, ROUNDS rounds (a few seconds in all).
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { KeyHolder } from '../src-main/crypto';
import { RelayClient } from '../src-main/client';
import { createLocalProvider, startComputeNode } from '../src-main/node';
import { startRelay } from '../src-main/relay';
import { writeTinyGguf } from '../test-support/node/tiny-gguf';
import { median } from './stats';

const json = process.argv.includes('--json');
const ROUNDS = 3;
const MAX_TOKENS = 96;
const SEED = 42;
const CONTEXT = 1024;
const THREADS = Number(process.env.BENCH_LOCAL_THREADS ?? 1);
const MODEL = 'tiny-bench';
const messages = [{ role: 'user' as const, content: 'Write a short story about a fox who learns to read.' }];

interface Run {
  tokens: number;
  /** From the first streamed text to the end of the answer. */
  writingMs: number;
  firstTextMs: number;
  /** From the first streamed text to the last one (the answer's end may come after it). */
  streamMs: number;
  totalMs: number;
}

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const rate = (runs: Run[]) => median(runs.map((r) => r.tokens / (r.writingMs / 1000)));
const streamRate = (runs: Run[]) => median(runs.map((r) => r.tokens / (Math.max(1, r.streamMs) / 1000)));

function runOf(tokens: number, start: number, first: number | undefined, last: number, end: number): Run {
  const firstAt = first ?? end;
  return { tokens, writingMs: end - firstAt, firstTextMs: firstAt - start, streamMs: last - firstAt, totalMs: end - start };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tp-bench-local-'));
  const modelFile = join(dir, `${MODEL}.gguf`);
  await writeTinyGguf(modelFile, { seed: 3, contextLength: 2048 });
  const settings = { modelFile, contextSize: CONTEXT, threads: THREADS, idleUnloadMs: 0 };
  // Two providers on the same file: one called directly, one behind the node (one model each).
  const direct = createLocalProvider(settings);
  const served = createLocalProvider(settings);
  const relay = await startRelay({ host: '127.0.0.1', rateLimits: { enabled: false }, pollWaitSeconds: 1 });
  const node = await startComputeNode({ relayUrl: relay.url, provider: served, models: [{ id: MODEL, providerModel: MODEL }] });
  const client = new RelayClient({ baseUrl: relay.url, keys: await KeyHolder.create() });
  try {
    await Promise.all([direct.load(), served.load()]);
    while ((await client.health()).nodeCount !== 1) await new Promise((r) => setTimeout(r, 50));

    const viaEngine = async (): Promise<Run> => {
      const start = performance.now();
      let first: number | undefined;
      let last = start;
      const result = await direct.chat(
        {
          model: MODEL,
          messages,
          maxTokens: MAX_TOKENS,
          temperature: 0,
          seed: SEED,
          onDelta: () => {
            last = performance.now();
            first ??= last;
          },
        },
        new AbortController().signal,
      );
      const end = performance.now();
      return runOf(result.usage?.completionTokens ?? 0, start, first, last, end);
    };
    const viaStack = async (): Promise<Run> => {
      const start = performance.now();
      let first: number | undefined;
      let last = start;
      const answer = await client.chat({
        model: MODEL,
        messages,
        options: { max_tokens: MAX_TOKENS, temperature: 0, seed: SEED },
        onDelta: () => {
          last = performance.now();
          first ??= last;
        },
      });
      const end = performance.now();
      if (answer.delivery !== 'chunks') throw new Error(`the answer was not streamed in chunks (${String(answer.delivery)})`);
      return runOf(answer.usage?.completionTokens ?? 0, start, first, last, end);
    };

    await viaEngine(); // warm-up: first generation pays for buffers
    await viaStack();
    const engine: Run[] = [];
    const stack: Run[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      engine.push(await viaEngine());
      stack.push(await viaStack());
    }
    const engineRate = rate(engine);
    const stackRate = rate(stack);
    const result = {
      bench: 'local',
      model: 'tiny generated GGUF (random weights)',
      rounds: ROUNDS,
      max_tokens: MAX_TOKENS,
      completion_tokens: median(stack.map((r) => r.tokens)),
      engine_tokens_per_s: round(engineRate),
      stack_tokens_per_s: round(stackRate),
      overhead_ratio: round(engineRate / stackRate, 3),
      /** The same over first → last streamed text only (without the final answer's delivery). */
      stack_stream_tokens_per_s: round(streamRate(stack)),
      target_overhead_ratio: 1.1,
      engine_first_text_ms: round(median(engine.map((r) => r.firstTextMs))),
      stack_first_text_ms: round(median(stack.map((r) => r.firstTextMs))),
      engine_total_ms: round(median(engine.map((r) => r.totalMs))),
      stack_total_ms: round(median(stack.map((r) => r.totalMs))),
      threads: THREADS,
      context_size: CONTEXT,
      load_average_1m: round(loadavg()[0]!, 2),
    };
    if (json) console.log(JSON.stringify(result));
    else {
      console.log(`bench:local — tiny GGUF, ${MAX_TOKENS} tokens, greedy, seed ${SEED}, ${ROUNDS} rounds (load ${result.load_average_1m})`);
      console.log(`  node-llama-cpp alone        ${result.engine_tokens_per_s} tokens/s (first text ${result.engine_first_text_ms} ms, total ${result.engine_total_ms} ms)`);
      console.log(`  node → relay → client       ${result.stack_tokens_per_s} tokens/s (first text ${result.stack_first_text_ms} ms, total ${result.stack_total_ms} ms)`);
      console.log(`  overhead ratio              ${result.overhead_ratio} (target ≤ ${result.target_overhead_ratio})`);
      console.log(`  stack, streamed text only   ${result.stack_stream_tokens_per_s} tokens/s (first to last streamed text)`);
    }
  } finally {
    await node.stop();
    await relay.close();
    await direct.close();
    await served.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
