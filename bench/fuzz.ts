// bench:fuzz (issue 15): malformed requests across every route of a running relay process — bodies
// that are no JSON, JSON of the wrong shape (fast-check values, and every field of a real body
// swapped for junk), wrong content types, bad query strings, unknown methods, truncated bodies —
// and counts what must never happen: a 5xx answer, or a connection the relay dropped instead of
// answering. `--count N` (default 100 000), `--concurrency N` (default 32), `--seed N`,
// `--json` prints one object: sent, status_5xx, dropped, by_status, requests_per_second.
import fc from 'fast-check';
import { Agent, request } from 'node:http';
import { spawnRelayProcess } from '../test-support/relay/relay-process';

interface Flags {
  count: number;
  concurrency: number;
  seed: number;
  json: boolean;
}

function parseFlags(argv: string[]): Flags {
  const flags: Flags = { count: 100_000, concurrency: 32, seed: 42, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') flags.json = true;
    else if (a === '--count' || a === '--concurrency' || a === '--seed') {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${a} needs a positive whole number`);
      flags[a.slice(2) as 'count' | 'concurrency' | 'seed'] = n;
    } else throw new Error(`unknown flag ${a} (flags: --count N, --concurrency N, --seed N, --json)`);
  }
  return flags;
}

const POST_ROUTES = [
  '/api/v1/relay/requests',
  '/api/v1/relay/requests/cancel',
  '/api/v1/relay/responses',
  '/api/v1/relay/responses/retrieve',
  '/api/v1/relay/servers/control',
  '/api/v1/relay/servers/poll',
  '/api/v1/relay/servers/register',
  '/api/v1/relay/servers/unregister',
  '/api/v1/relay/stream/events',
  '/api/v1/relay/stream/read',
  '/stream/retrieve',
  '/unregister',
  '/faucet',
  '/sink',
  '/source',
  '/retrieve',
  '/stream/source',
];
const GET_ROUTES = ['/api/v1/meta', '/api/v1/public-key', '/api/v1/relay/servers/next', '/api/v1/version', '/healthz', '/livez', '/metrics', '/next_server', '/relay/diagnostics'];

/** A plausible body's fields, each of which the fuzzer replaces with junk. */
const FIELDS = ['server_public_key', 'client_public_key', 'ciphertext', 'cipherkey', 'iv', 'request_id', 'protocol', 'version', 'cancel_token', 'control_credential', 'wait_seconds', 'after', 'sequence', 'capabilities', 'context_tier', 'model', 'registration_proof'];

interface Shot {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
  /** Send fewer bytes than content-length says, then end: a truncated body. */
  truncate: boolean;
}

const junk = fc.oneof(fc.jsonValue(), fc.string({ maxLength: 64 }), fc.integer(), fc.double(), fc.constant(null), fc.array(fc.string(), { maxLength: 4 }));

const shotArb: fc.Arbitrary<Shot> = fc.oneof(
  // JSON of the wrong shape on a POST route
  fc.record({ path: fc.constantFrom(...POST_ROUTES), value: fc.jsonValue({ maxDepth: 4 }) }).map(({ path, value }) => post(path, JSON.stringify(value) ?? 'null')),
  // a real-looking body with junk in its fields
  fc.record({ path: fc.constantFrom(...POST_ROUTES), fields: fc.dictionary(fc.constantFrom(...FIELDS), junk, { maxKeys: 8 }) }).map(({ path, fields }) => post(path, JSON.stringify(fields))),
  // no JSON at all, or bytes
  fc.record({ path: fc.constantFrom(...POST_ROUTES), text: fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom('{', '{"a":', '[1,2', '\u0000', '{"request_id":"\ud800"}')) }).map(({ path, text }) => post(path, text)),
  fc.record({ path: fc.constantFrom(...POST_ROUTES), bytes: fc.uint8Array({ maxLength: 256 }) }).map(({ path, bytes }) => ({ ...post(path, ''), body: Buffer.from(bytes) })),
  // the wrong content type, or none
  fc.record({ path: fc.constantFrom(...POST_ROUTES), type: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', '') }).map(({ path, type }) => {
    const shot = post(path, '{"request_id":"x"}');
    if (type) shot.headers['content-type'] = type;
    else delete shot.headers['content-type'];
    return shot;
  }),
  // a body cut short
  fc.constantFrom(...POST_ROUTES).map((path) => ({ ...post(path, '{"request_id":"0123456789abcdef0123456789abcdef"}'), truncate: true })),
  // bad query strings and methods on every route
  fc.record({ path: fc.constantFrom(...GET_ROUTES, ...POST_ROUTES), query: fc.string({ maxLength: 80 }), method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD') }).map(({ path, query, method }) => ({
    method,
    path: `${path}?${encodeURI(query).replace(/#/g, '%23')}&context_tier=${encodeURIComponent(query)}`,
    headers: {},
    body: undefined,
    truncate: false,
  })),
);

function post(path: string, text: string): Shot {
  return { method: 'POST', path, headers: { 'content-type': 'application/json' }, body: Buffer.from(text), truncate: false };
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** The status the relay answered, or 'dropped' when the connection ended without an answer. */
function send(base: string, shot: Shot): Promise<number | 'dropped'> {
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = { ...shot.headers };
    if (shot.body) headers['content-length'] = shot.body.length;
    const req = request(new URL(shot.path, base), { method: shot.method, agent, headers, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve('dropped'));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve('dropped'));
    if (shot.body && shot.truncate) {
      // Half the body, then the request ends: the relay must answer 400, not hang or crash.
      req.write(shot.body.subarray(0, Math.floor(shot.body.length / 2)));
      req.destroy();
      resolve(0);
      return;
    }
    req.end(shot.body);
  });
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const relay = await spawnRelayProcess(['--quiet', '--no-rate-limits']);
  const shots = fc.sample(shotArb, { numRuns: Math.min(flags.count, 5_000), seed: flags.seed });
  const byStatus: Record<string, number> = {};
  let sent = 0;
  let truncated = 0;
  const started = performance.now();
  try {
    const worker = async () => {
      while (sent < flags.count) {
        const shot = shots[sent++ % shots.length]!;
        const status = await send(relay.url, shot);
        if (status === 0) truncated++;
        else byStatus[String(status)] = (byStatus[String(status)] ?? 0) + 1;
      }
    };
    await Promise.all(Array.from({ length: flags.concurrency }, worker));
    // The relay is still up and well after all of it.
    const health = await send(relay.url, { method: 'GET', path: '/livez', headers: {}, body: undefined, truncate: false });
    if (health !== 200) throw new Error(`the relay did not answer /livez after the fuzzing (${health})`);
  } finally {
    await relay.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  const status5xx = Object.entries(byStatus).filter(([s]) => Number(s) >= 500).reduce((n, [, c]) => n + c, 0);
  const result = {
    sent,
    status_5xx: status5xx,
    dropped: byStatus.dropped ?? 0,
    truncated_bodies: truncated,
    by_status: byStatus,
    requests_per_second: Math.round(sent / seconds),
  };
  if (flags.json) console.log(JSON.stringify(result));
  else console.log(`bench:fuzz: ${sent} malformed requests, ${status5xx} × 5xx, ${result.dropped} dropped, ${result.requests_per_second} per s; by status ${JSON.stringify(byStatus)}`);
  if (status5xx > 0 || result.dropped > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(`bench:fuzz: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
