// Does a node's request decryption take the same time whatever fails (docs/protocol.md §1.9.4),
// and does it keep the event loop free? `npm run bench:decrypt-timing` prints tables;
// `-- --json` prints one JSON object.
//
// "before" replays the node's old order — OAEP, and only when that fails PKCS#1 v1.5, both on the
// calling thread — with the synchronous decryptJson; "after" is decryptJsonUniform (both unwraps
// always, on a worker thread), as openWorkItem uses it. Cases run interleaved, so both paths and
// all cases see the same machine load. Event-loop lag: a 1 ms interval timer and
// monitorEventLoopDelay while 12 PKCS#1 v1.5 requests are opened one after another.
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { closeSharedUnwrapPool, decryptJson, decryptJsonUniform, encryptEnvelope, encryptJson, generateRsaKeyPair, type HybridEnvelope } from '../src-main/crypto';
import { envelopeWithBadCbcPadding } from '../test-support/crypto/side-channel-probes';
import { median } from './stats';

const json = process.argv.includes('--json');
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const LAG_REQUESTS = 12;


function before(env: HybridEnvelope, pem: string): unknown {
  try {
    return decryptJson(env, pem, { padding: 'oaep-sha256', requireMode: 'cbc' });
  } catch {
    try {
      return decryptJson(env, pem, { padding: 'pkcs1v15', requireMode: 'cbc' });
    } catch {
      return null;
    }
  }
}

async function after(env: HybridEnvelope, pem: string): Promise<unknown> {
  return decryptJsonUniform(env, pem, { padding: 'legacy-oaep-then-pkcs1v15', requireMode: 'cbc' }).catch(() => null);
}

/** Event-loop lag while `run` opens LAG_REQUESTS v1.5 requests one after another. */
async function lagWhile(run: () => Promise<void>): Promise<{ max_timer_gap_ms: number; max_delay_ms: number; p99_delay_ms: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let last = performance.now();
  let maxGap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
  }, 1);
  histogram.enable();
  await run();
  histogram.disable();
  clearInterval(timer);
  return { max_timer_gap_ms: maxGap, max_delay_ms: histogram.max / 1e6, p99_delay_ms: histogram.percentile(99) / 1e6 };
}

async function main(): Promise<void> {
  const [node, stranger] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
  const inner = { request_id: 'r', messages: [{ role: 'user', content: 'x'.repeat(512) }] };
  const cases: Record<string, () => HybridEnvelope> = {
    'valid OAEP': () => encryptJson(inner, node.publicKeyWire, { padding: 'oaep-sha256' }),
    'valid PKCS#1 v1.5': () => encryptJson(inner, node.publicKeyWire, { padding: 'pkcs1v15' }),
    'random wrap': () => ({ ...encryptJson(inner, node.publicKeyWire), cipherkey: randomBytes(256).toString('base64') }),
    'wrapped for another key': () => encryptJson(inner, stranger.publicKeyWire, { padding: 'oaep-sha256' }),
    'valid wrap, bad CBC padding': () => envelopeWithBadCbcPadding(node.publicKeyPem),
    'valid wrap, not JSON': () => encryptEnvelope('not json', node.publicKeyWire, { padding: 'oaep-sha256' }),
  };
  const names = Object.keys(cases);
  const times = { before: new Map(names.map((n) => [n, [] as number[]])), after: new Map(names.map((n) => [n, [] as number[]])) };
  await after(cases['valid PKCS#1 v1.5']!(), node.privateKeyPem); // start the worker
  for (let i = 0; i < RUNS + 3; i++) {
    for (const name of names) {
      const env = cases[name]!();
      const t0 = performance.now();
      before(env, node.privateKeyPem);
      const t1 = performance.now();
      await after(env, node.privateKeyPem);
      const t2 = performance.now();
      if (i >= 3) {
        times.before.get(name)!.push(t1 - t0);
        times.after.get(name)!.push(t2 - t1);
      }
    }
  }
  const medians = (path: 'before' | 'after') => Object.fromEntries(names.map((n) => [n, median(times[path].get(n)!)]));
  const spread = (m: Record<string, number>) => Math.max(...Object.values(m)) / Math.min(...Object.values(m));
  const beforeMs = medians('before');
  const afterMs = medians('after');

  const v15 = Array.from({ length: LAG_REQUESTS }, () => cases['valid PKCS#1 v1.5']!());
  const lagBefore = await lagWhile(async () => {
    for (const env of v15) {
      before(env, node.privateKeyPem);
      await new Promise((r) => setImmediate(r));
    }
  });
  const lagAfter = await lagWhile(async () => {
    for (const env of v15) await after(env, node.privateKeyPem);
  });
  await closeSharedUnwrapPool();

  const result = {
    median_ms: { before: beforeMs, after: afterMs },
    slowest_over_fastest: { before: spread(beforeMs), after: spread(afterMs) },
    event_loop_during_v15: { before: lagBefore, after: lagAfter },
    runs: RUNS,
    node: process.version,
  };
  if (json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  console.table(names.map((n) => ({ case: n, 'before (ms)': beforeMs[n]!.toFixed(2), 'after (ms)': afterMs[n]!.toFixed(2) })));
  console.table([
    { metric: 'slowest / fastest case', before: result.slowest_over_fastest.before.toFixed(2), after: result.slowest_over_fastest.after.toFixed(2) },
    { metric: 'max gap of a 1 ms timer (ms)', before: lagBefore.max_timer_gap_ms.toFixed(1), after: lagAfter.max_timer_gap_ms.toFixed(1) },
    { metric: 'event-loop delay max (ms)', before: lagBefore.max_delay_ms.toFixed(1), after: lagAfter.max_delay_ms.toFixed(1) },
    { metric: 'event-loop delay p99 (ms)', before: lagBefore.p99_delay_ms.toFixed(1), after: lagAfter.p99_delay_ms.toFixed(1) },
  ]);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
