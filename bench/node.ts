// Compute-node overhead benchmark: `npm run bench:node` prints a table; `-- --json` prints one
// JSON object. Our relay + our node on an instant deterministic test provider + a crypto-core
// client, all on loopback. "Node overhead" = the node's time per request minus model time:
// decrypt + validate + admit + encrypt + post the answer to the relay (as measured by the node).
import { generateRsaKeyPair, type RsaPadding } from '../src-main/crypto';
import type { WorkReport } from '../src-main/node';
import { TEST_MODEL, startTestNode, startTestRelay } from '../test-support/node/harness';
import { MiniClient, replyText } from '../test-support/node/mini-client';
import { performance } from 'node:perf_hooks';

const json = process.argv.includes('--json');
const requestsArg = process.argv.indexOf('--requests');
const REQUESTS = Math.min(2000, Math.max(10, Number(requestsArg > 0 ? process.argv[requestsArg + 1] : 100) || 100));
const WARMUP = 20;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

const round = (n: number) => Math.round(n * 1000) / 1000;

interface Row {
  /** The e2ee profile of the requests (§10 aead-v1, or the reference CBC of §1). */
  profile: 'aead-v1' | 'reference-cbc';
  request_wrap: RsaPadding;
  reply_wrap: string;
  requests: number;
  node_overhead_p50_ms: number;
  node_overhead_p99_ms: number;
  decrypt_p50_ms: number;
  validate_p50_ms: number;
  encrypt_p50_ms: number;
  post_p50_ms: number;
  round_trip_p50_ms: number;
  round_trip_p99_ms: number;
}

async function measure(wrap: RsaPadding, replyPadding: RsaPadding | 'mirror' = 'pkcs1v15', aead = false): Promise<Row> {
  const relay = await startTestRelay({ pollWaitSeconds: 10, leaseSeconds: 30 });
  const t = await startTestNode(relay.url, { node: { replyPadding } });
  try {
    const client = new MiniClient(relay.url, await generateRsaKeyPair(), wrap);
    client.readProgress = false; // its (synchronous) decryption would run while the node posts
    client.aead = aead;
    const server = t.node.publicKeyWire()!;
    const reports: WorkReport[] = [];
    const roundTrips: number[] = [];
    for (let i = 0; i < WARMUP + REQUESTS; i++) {
      const start = performance.now();
      const sent = await client.send({ model: TEST_MODEL, messages: [{ role: 'user', content: `benchmark prompt ${i}` }], serverPublicKey: server });
      // The client is in this process: let the node finish its bookkeeping before the client's
      // (synchronous) reply decryption takes the event loop, so node timings stay clean.
      const answer = await client.waitForAnswer(sent.requestId, 10_000, 'legacy-oaep-then-pkcs1v15', () => t.reportFor(sent.requestId));
      const elapsed = performance.now() - start;
      replyText(answer);
      const report = await t.reportFor(sent.requestId);
      if (report.outcome !== 'answered') throw new Error(`request ${i}: ${report.outcome}`);
      if (report.profile !== (aead ? 'aead-v1' : 'reference-cbc')) throw new Error(`request ${i}: answered as ${report.profile}`);
      if (i >= WARMUP) {
        reports.push(report);
        roundTrips.push(elapsed);
      }
    }
    const overhead = reports.map((r) => r.timings.totalMs - r.timings.providerMs);
    const pick = (k: keyof WorkReport['timings']) => reports.map((r) => r.timings[k]);
    return {
      profile: aead ? 'aead-v1' : 'reference-cbc',
      request_wrap: wrap,
      reply_wrap: aead ? 'aead-v1 (no RSA)' : replyPadding,
      requests: reports.length,
      node_overhead_p50_ms: round(percentile(overhead, 50)),
      node_overhead_p99_ms: round(percentile(overhead, 99)),
      decrypt_p50_ms: round(percentile(pick('decryptMs'), 50)),
      validate_p50_ms: round(percentile(pick('validateMs'), 50)),
      encrypt_p50_ms: round(percentile(pick('encryptMs'), 50)),
      post_p50_ms: round(percentile(pick('postMs'), 50)),
      round_trip_p50_ms: round(percentile(roundTrips, 50)),
      round_trip_p99_ms: round(percentile(roundTrips, 99)),
    };
  } finally {
    await t.node.stop();
    await relay.close();
  }
}

async function main(): Promise<void> {
  const oaep = await measure('oaep-sha256');
  const legacy = await measure('pkcs1v15');
  const mirror = await measure('oaep-sha256', 'mirror');
  const aead = await measure('oaep-sha256', 'mirror', true);
  if (json) {
    process.stdout.write(
      `${JSON.stringify({
        node_overhead_p50_ms: oaep.node_overhead_p50_ms,
        node_overhead_p99_ms: oaep.node_overhead_p99_ms,
        requests: oaep.requests,
        // One full round trip through our relay: aead-v1 (§10) against CBC as our client sends it (OAEP, mirrored reply).
        aead_round_trip_ms: aead.round_trip_p50_ms,
        cbc_round_trip_ms: mirror.round_trip_p50_ms,
        aead_node_overhead_p50_ms: aead.node_overhead_p50_ms,
        oaep_request: oaep,
        pkcs1v15_request: legacy,
        oaep_request_mirror_reply: mirror,
        aead_v1_request: aead,
      })}\n`,
    );
    return;
  }
  console.log(`Compute-node overhead per request (instant test provider, ${REQUESTS} sequential requests, ms)`);
  console.table(
    [oaep, legacy, mirror, aead].map((r) => ({
      profile: r.profile,
      'request wrap': r.request_wrap,
      'reply wrap': r.reply_wrap,
      'overhead p50': r.node_overhead_p50_ms,
      'overhead p99': r.node_overhead_p99_ms,
      'decrypt p50': r.decrypt_p50_ms,
      'validate p50': r.validate_p50_ms,
      'encrypt p50': r.encrypt_p50_ms,
      'post p50': r.post_p50_ms,
      'round trip p50': r.round_trip_p50_ms,
      'round trip p99': r.round_trip_p99_ms,
    })),
  );
  console.log('overhead = node time minus model time (decrypt + validate + admit + encrypt + post to relay);');
  console.log('round trip = client submit → answer decrypted (includes client crypto and relay hops; the client');
  console.log('waits for the node to finish before decrypting, so round trip is an upper bound).');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
