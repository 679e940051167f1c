// Command-line flags and environment variables of `tokenplace-relay`. One table drives parsing,
// precedence (flag > environment > default), the --help text and the messages: a bad value is
// reported under the flag or environment variable it came from, never under a config key. Reference
// env names (docs/protocol.md §2.2, §2.6.2, §5.1) are accepted next to our TOKENPLACE_RELAY_* names.
import { CliUsageError, formatHelp, parseFlags, type FlagTable, type ParsedFlags } from '../cli-flags';
import { REDIS_CREDENTIAL_ENV, readTokenFile, redisUrlHasPassword, secretFlagWarning, tokenFileWarning } from './cli-secrets';
import { ConfigError, NODE_ROUTE_IDS, RelayConfigSchema, parseRateBudgets, type RelayConfigInput } from './config';
import { STREAM_LIMITS } from '../../src-shared/protocol/stream';

export const DEFAULT_CLI_PORT = 5010;

/**
 * The smallest --body-limit-bytes that lets every body a node must send through (§5.2): its
 * largest stream append (§11.4), which is also more than an answer of the largest max_tokens needs.
 * Below it, the relay would refuse such a body with 413 while the client waits for its deadline.
 */
export const MIN_CLI_BODY_LIMIT_BYTES = STREAM_LIMITS.maxAppendBodyBytes;

type Kind = 'string' | 'number' | 'int' | 'bool' | 'list' | 'budgets' | 'identity' | 'token-file' | 'tokens-file';

interface OptionSpec {
  flag: string;
  env: string[];
  kind: Kind;
  help: string;
  /** Where the value goes in RelayConfigInput (`quiet` is the CLI's own). */
  to: readonly [string, ...string[]];
  /** `--no-rate-limits`: the config holds the opposite. */
  negate?: true;
  /** A list joined to what another option put there (`--relay-token-file` next to `--relay-token`). */
  adds?: true;
}

export const OPTIONS: readonly OptionSpec[] = [
  { flag: 'host', env: ['TOKENPLACE_RELAY_HOST'], kind: 'string', help: 'interface to bind (default 127.0.0.1; 0.0.0.0 for all)', to: ['host'] },
  { flag: 'port', env: ['TOKENPLACE_RELAY_PORT'], kind: 'int', help: `TCP port (default ${DEFAULT_CLI_PORT}; 0 = any free port)`, to: ['port'] },
  { flag: 'redis', env: ['TOKENPLACE_RELAY_REDIS_URL'], kind: 'string', help: 'Redis URL for shared state across relay processes (default: in memory)', to: ['redisUrl'] },
  { flag: 'redis-prefix', env: ['TOKENPLACE_RELAY_REDIS_PREFIX'], kind: 'string', help: 'Redis key prefix (default tokenplace:relay:)', to: ['redisKeyPrefix'] },
  { flag: 'relay-token', env: ['TOKENPLACE_RELAY_SERVER_TOKENS', 'TOKEN_PLACE_RELAY_SERVER_TOKENS', 'TOKEN_PLACE_RELAY_SERVER_TOKEN'], kind: 'list', help: 'compute-node token(s) required as X-Relay-Server-Token (repeatable; env: comma/newline list); visible in ps, prefer --relay-token-file', to: ['relayTokens'] },
  { flag: 'relay-token-file', env: ['TOKENPLACE_RELAY_SERVER_TOKENS_FILE'], kind: 'tokens-file', help: 'file with compute-node tokens, one per line (# comments), added to any --relay-token', to: ['relayTokens'], adds: true },
  { flag: 'lease-seconds', env: ['TOKENPLACE_RELAY_LEASE_SECONDS', 'TOKEN_PLACE_API_V1_RELAY_SERVER_LEASE_SECONDS'], kind: 'number', help: 'node lease / next_ping_in_x_seconds (default 30)', to: ['leaseSeconds'] },
  { flag: 'poll-wait-seconds', env: ['TOKENPLACE_RELAY_POLL_WAIT_SECONDS', 'TOKEN_PLACE_API_V1_RELAY_POLL_WAIT_SECONDS'], kind: 'number', help: 'node long-poll wait (default 10)', to: ['pollWaitSeconds'] },
  { flag: 'node-liveness-seconds', env: ['TOKENPLACE_RELAY_NODE_LIVENESS_SECONDS'], kind: 'number', help: 'servers/next offers only nodes long-polling now or seen within this window (default 5; shorter than the lease)', to: ['nodeLivenessSeconds'] },
  { flag: 'in-flight-ttl-seconds', env: ['TOKENPLACE_RELAY_IN_FLIGHT_TTL_SECONDS', 'TOKEN_PLACE_API_V1_IN_FLIGHT_TTL_SECONDS'], kind: 'number', help: 'in-flight accounting lease (default = lease)', to: ['inFlightTtlSeconds'] },
  { flag: 'request-deadline-seconds', env: ['TOKENPLACE_RELAY_REQUEST_DEADLINE_SECONDS', 'TOKEN_PLACE_API_V1_REQUEST_DEADLINE_SECONDS'], kind: 'number', help: 'request deadline / request_ttl_seconds (default 480, max 3600)', to: ['requestDeadlineSeconds'] },
  { flag: 'terminal-ttl-seconds', env: ['TOKENPLACE_RELAY_TERMINAL_TTL_SECONDS', 'TOKENPLACE_TERMINAL_REQUEST_TTL_SECONDS'], kind: 'number', help: 'how long cancelled/expired/delivered outcomes are remembered (default 300)', to: ['terminalTtlSeconds'] },
  { flag: 'tombstone-ttl-seconds', env: ['TOKENPLACE_RELAY_TOMBSTONE_TTL_SECONDS', 'TOKEN_PLACE_API_V1_CONTROL_TOMBSTONE_TTL_SECONDS'], kind: 'number', help: 'control tombstone lifetime (default 60, max 300)', to: ['tombstoneTtlSeconds'] },
  { flag: 'response-ttl-seconds', env: ['TOKENPLACE_RELAY_RESPONSE_TTL_SECONDS'], kind: 'number', help: 'undelivered answers expire after this long (default 300)', to: ['responseTtlSeconds'] },
  { flag: 'max-queue-depth', env: ['TOKENPLACE_RELAY_MAX_QUEUE_DEPTH', 'TOKEN_PLACE_API_V1_MAX_QUEUE_DEPTH_PER_NODE'], kind: 'int', help: 'queued requests per node before 503 (default 1024)', to: ['maxQueueDepthPerNode'] },
  { flag: 'max-retrieve-wait-seconds', env: ['TOKENPLACE_RELAY_MAX_RETRIEVE_WAIT_SECONDS'], kind: 'number', help: 'longest retrieve long poll a client may ask for (default 25)', to: ['maxRetrieveWaitSeconds'] },
  { flag: 'body-limit-bytes', env: ['TOKENPLACE_RELAY_BODY_LIMIT_BYTES'], kind: 'int', help: `request body limit, 413 above (default 2097152, at least ${MIN_CLI_BODY_LIMIT_BYTES})`, to: ['bodyLimitBytes'] },
  { flag: 'stream-buffer-total-mb', env: ['TOKENPLACE_RELAY_STREAM_BUFFER_TOTAL_MB'], kind: 'number', help: 'unread stream chunks all requests together may hold, MiB of ciphertext (default 128; each request at most 1 MiB)', to: ['streamBufferTotalMb'] },
  { flag: 'drain-seconds', env: ['TOKENPLACE_RELAY_DRAIN_SECONDS'], kind: 'number', help: 'on SIGTERM/SIGINT: at most this long refusing new work while answers under way are delivered, then exit (default 10; 0 = at once)', to: ['drainSeconds'] },
  { flag: 'request-timeout-ms', env: ['TOKENPLACE_RELAY_REQUEST_TIMEOUT_MS'], kind: 'int', help: 'time a client has to send a whole request (default 30000; 408 after)', to: ['requestTimeoutMs'] },
  { flag: 'rate-limit-public', env: ['TOKENPLACE_RELAY_RATE_LIMIT_PUBLIC'], kind: 'budgets', help: 'per-IP budgets of public routes (default "60 per hour, 1000 per day")', to: ['rateLimits', 'publicPerIp'] },
  { flag: 'rate-limit-node-ip', env: ['TOKENPLACE_RELAY_RATE_LIMIT_NODE_IP', 'API_RELAY_CONTROL_PLANE_IP_RATE_LIMIT'], kind: 'budgets', help: 'per-IP budget of compute-node routes (default "10000 per hour")', to: ['rateLimits', 'nodePerIp'] },
  { flag: 'rate-limit-node-identity', env: ['TOKENPLACE_RELAY_RATE_LIMIT_NODE_IDENTITY'], kind: 'identity', help: `per-node hourly budgets, e.g. "poll=1200,register=240" (routes: ${NODE_ROUTE_IDS.join(', ')})`, to: ['rateLimits', 'nodePerIdentityPerHour'] },
  { flag: 'rate-limit-max-counters', env: ['TOKENPLACE_RELAY_RATE_LIMIT_MAX_COUNTERS'], kind: 'int', help: 'rate-limit counters kept in memory; the least recently used go first (default 100000)', to: ['rateLimits', 'maxCounters'] },
  { flag: 'max-connections', env: ['TOKENPLACE_RELAY_MAX_CONNECTIONS'], kind: 'int', help: 'open connections of this process; more are closed at once (default 4096)', to: ['connectionLimits', 'maxConnections'] },
  { flag: 'max-long-polls-per-sender', env: ['TOKENPLACE_RELAY_MAX_LONG_POLLS_PER_SENDER'], kind: 'int', help: 'node polls, and apart waiting retrieves, one IPv4 address or IPv6 /64 may hold (default 32)', to: ['connectionLimits', 'maxLongPollsPerSender'] },
  { flag: 'no-rate-limits', env: ['TOKENPLACE_RELAY_NO_RATE_LIMITS'], kind: 'bool', help: 'disable rate limiting', to: ['rateLimits', 'enabled'], negate: true },
  { flag: 'publish-node-keys', env: ['TOKENPLACE_RELAY_PUBLISH_NODE_KEYS'], kind: 'bool', help: 'list node public keys on /healthz and /relay/diagnostics', to: ['publishNodeKeys'] },
  { flag: 'catalog-model', env: ['TOKENPLACE_RELAY_CATALOG_MODELS'], kind: 'list', help: 'model ids /api/v1/models lists even with no node (repeatable)', to: ['catalogModels'] },
  { flag: 'trust-proxy', env: ['TOKENPLACE_RELAY_TRUST_PROXY'], kind: 'bool', help: 'take client IPs from X-Forwarded-For (only behind your own proxy)', to: ['trustProxy'] },
  { flag: 'process-metrics', env: ['TOKENPLACE_RELAY_PROCESS_METRICS'], kind: 'bool', help: 'also export Node process metrics (CPU, memory, event loop, GC) on /metrics', to: ['processMetrics'] },
  { flag: 'metrics-token', env: ['TOKENPLACE_RELAY_METRICS_TOKEN', 'TOKENPLACE_METRICS_TOKEN'], kind: 'string', help: 'require "Authorization: Bearer <token>" on /metrics; visible in ps, prefer --metrics-token-file', to: ['metricsToken'] },
  { flag: 'metrics-token-file', env: ['TOKENPLACE_RELAY_METRICS_TOKEN_FILE'], kind: 'token-file', help: 'file holding the /metrics token (one line)', to: ['metricsToken'] },
  { flag: 'public-metrics', env: ['TOKENPLACE_RELAY_PUBLIC_METRICS'], kind: 'bool', help: 'serve /metrics without a token on a non-loopback --host (refused by default)', to: ['publicMetrics'] },
  { flag: 'environment', env: ['TOKENPLACE_RELAY_ENVIRONMENT'], kind: 'string', help: 'label shown by /api/v1/meta (default dev)', to: ['environment'] },
  { flag: 'quiet', env: ['TOKENPLACE_RELAY_QUIET'], kind: 'bool', help: 'no access log on stderr', to: ['quiet'] },
];

const FLAGS: FlagTable = Object.fromEntries(
  OPTIONS.map((o) => [
    o.flag,
    { type: o.kind === 'bool' ? 'boolean' : 'string', multiple: o.kind === 'list', value: '<value>', help: [o.help, `env: ${o.env.join(', ')}`], env: o.env },
  ]),
);

/** Reference env names for the public budgets (Flask-Limiter strings, §5.1). */
const REFERENCE_PUBLIC_ENV = ['API_RATE_LIMIT', 'API_DAILY_QUOTA'];

function convert(spec: OptionSpec, raw: string | string[] | boolean, source: string): unknown {
  if (typeof raw === 'boolean') return spec.negate ? !raw : raw;
  const text = Array.isArray(raw) ? raw.join(',') : raw;
  switch (spec.kind) {
    case 'string':
    case 'bool': // only ever a boolean (parseFlags reads flags and env alike)
      return text;
    case 'number':
    case 'int': {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n) || (spec.kind === 'int' && !Number.isInteger(n)))
        throw new CliUsageError(`${source}: expected ${spec.kind === 'int' ? 'an integer' : 'a number'}, got "${text}"`, source);
      return n;
    }
    case 'list':
      return text.split(/[,\n]/).map((s) => s.trim()).filter(Boolean);
    case 'budgets':
      return rateBudgets(text, source);
    case 'token-file':
      return readTokenFile(text, source, 'one')[0];
    case 'tokens-file':
      return readTokenFile(text, source, 'many');
    case 'identity': {
      const out: Record<string, number> = {};
      for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
        const [route, value] = part.split('=');
        if (!route || !(NODE_ROUTE_IDS as readonly string[]).includes(route) || !/^\d+$/.test(value ?? ''))
          throw new CliUsageError(`${source}: expected route=count pairs, got "${part}"`, source);
        out[route] = Number(value);
      }
      return out;
    }
  }
}

function rateBudgets(text: string, source: string) {
  try {
    return parseRateBudgets(text);
  } catch (err) {
    throw new CliUsageError(`${source}: ${(err as Error).message}`, source);
  }
}

export interface CliSettings {
  help: boolean;
  quiet: boolean;
  config: RelayConfigInput;
  /** Printed at startup: secrets passed where other users can see them. */
  warnings: string[];
}

/** Where settings land, and which flag or variable put each there (for messages). */
class SettingsBuilder {
  readonly cfg: Record<string, unknown> = { port: DEFAULT_CLI_PORT };
  private readonly sources: { path: readonly string[]; source: string }[] = [];

  set(path: readonly [string, ...string[]], value: unknown, source: string, adds = false): void {
    let target = this.cfg;
    for (const key of path.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
    const last = path.at(-1)!;
    const before = target[last];
    target[last] = adds && Array.isArray(before) && Array.isArray(value) ? [...(before as unknown[]), ...(value as unknown[])] : value;
    this.sources.push({ path, source });
  }

  /** The flag or environment variable behind a config path (the longest prefix that was set). */
  sourceOf(path: readonly PropertyKey[]): string {
    const covering = this.sources.filter((s) => s.path.every((key, i) => path[i] === key));
    return covering.sort((a, b) => b.path.length - a.path.length)[0]?.source ?? 'the relay configuration';
  }
}

export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliSettings {
  try {
    return settingsOf(argv, env);
  } catch (err) {
    if (err instanceof CliUsageError) throw new ConfigError(err.message);
    throw err;
  }
}

function settingsOf(argv: string[], env: NodeJS.ProcessEnv): CliSettings {
  const parsed = parseFlags(FLAGS, argv, { env });
  const settings = new SettingsBuilder();
  const referencePublic = REFERENCE_PUBLIC_ENV.filter((name) => !!env[name]);
  if (referencePublic.length > 0) {
    const names = referencePublic.join(', ');
    settings.set(['rateLimits', 'publicPerIp'], rateBudgets(referencePublic.map((name) => env[name]).join(','), names), names);
  }
  if (parsed.values['metrics-token'] !== undefined && parsed.values['metrics-token-file'] !== undefined) {
    throw new CliUsageError(`give ${parsed.source('metrics-token')} or ${parsed.source('metrics-token-file')}, not both`);
  }
  for (const spec of OPTIONS) {
    const raw = parsed.values[spec.flag];
    if (raw === undefined) continue;
    const source = parsed.source(spec.flag);
    const value = convert(spec, raw, source);
    // `--no-rate-limits` off (or its variable false) leaves the default alone
    if (!(spec.negate && value === true)) settings.set(spec.to, value, source, spec.adds);
  }
  for (const [key, name] of [['redisUsername', REDIS_CREDENTIAL_ENV.username], ['redisPassword', REDIS_CREDENTIAL_ENV.password]] as const) {
    if (env[name]) settings.set([key], env[name], name);
  }
  const warnings = secretWarnings(parsed);
  const { quiet, ...config } = settings.cfg;
  const checked = RelayConfigSchema.safeParse(config);
  if (!checked.success) {
    const problems = checked.error.issues.map((issue) => `${settings.sourceOf(issue.path)}: ${describeIssue(issue, valueAt(config, issue.path))}`);
    throw new ConfigError(problems.join('; '));
  }
  const bodyLimit = checked.data.bodyLimitBytes;
  if (bodyLimit < MIN_CLI_BODY_LIMIT_BYTES) {
    throw new ConfigError(
      `${settings.sourceOf(['bodyLimitBytes'])}: must be at least ${MIN_CLI_BODY_LIMIT_BYTES} (got ${bodyLimit}): a node's answers and stream appends can be that large, and a smaller limit refuses them while the client waits for its deadline`,
    );
  }
  return { help: parsed.help, quiet: quiet === true, config: config as RelayConfigInput, warnings };
}

/** Secrets where other users can read them: as flags (ps), or in a file open to them. */
function secretWarnings(parsed: ParsedFlags<FlagTable>): string[] {
  const warnings: string[] = [];
  const fromFlag = (flag: string) => parsed.values[flag] !== undefined && parsed.source(flag) === `--${flag}`;
  if (fromFlag('relay-token')) warnings.push(secretFlagWarning('--relay-token', '--relay-token-file FILE or TOKENPLACE_RELAY_SERVER_TOKENS'));
  if (fromFlag('metrics-token')) warnings.push(secretFlagWarning('--metrics-token', '--metrics-token-file FILE or TOKENPLACE_RELAY_METRICS_TOKEN'));
  const redis = parsed.values.redis;
  if (fromFlag('redis') && typeof redis === 'string' && redisUrlHasPassword(redis)) {
    warnings.push(secretFlagWarning('--redis with a password', `a URL without one and ${REDIS_CREDENTIAL_ENV.password}`));
  }
  for (const flag of ['relay-token-file', 'metrics-token-file']) {
    const path = parsed.values[flag];
    const warning = typeof path === 'string' ? tokenFileWarning(path, parsed.source(flag)) : undefined;
    if (warning) warnings.push(warning);
  }
  return warnings;
}

interface SchemaIssue {
  code: string;
  message: string;
  origin?: string;
  minimum?: unknown;
  maximum?: unknown;
  inclusive?: boolean;
  format?: string;
}

function valueAt(config: Record<string, unknown>, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined), config);
}

/** A config schema's complaint in words for the command line: bounds, never field names. */
function describeIssue(issue: SchemaIssue, value: unknown): string {
  // numbers are echoed (never secret); strings are not (tokens are strings)
  const got = typeof value === 'number' ? ` (got ${value})` : '';
  const unit = issue.origin === 'string' ? ' characters' : '';
  if (issue.code === 'too_small') {
    if (issue.origin === 'string' && issue.minimum === 1) return 'must not be empty';
    return `must be ${issue.inclusive ? 'at least' : 'more than'} ${String(issue.minimum)}${unit}${got}`;
  }
  if (issue.code === 'too_big') return `must be ${issue.inclusive ? 'at most' : 'less than'} ${String(issue.maximum)}${unit}${got}`;
  if (issue.code === 'invalid_format' && issue.format === 'url') return 'must be a URL, e.g. redis://127.0.0.1:6379';
  return issue.message;
}

export function helpText(): string {
  return formatHelp(FLAGS, {
    usage: 'Usage: tokenplace-relay [options]',
    about: [
      'token.place API v1 relay: routes end-to-end encrypted requests between clients and compute',
      'nodes; never sees plaintext. Every option can also be set by environment variable',
      '(flags win over the environment).',
    ].join('\n'),
    sections: [{ title: 'Options:', flags: OPTIONS.map((o) => o.flag) }],
    column: 38,
    footer: [
      `Reference env names also accepted: ${REFERENCE_PUBLIC_ENV.join(', ')} (public rate limits, e.g. "60 per hour").`,
      `Redis ACL credentials from the environment only: ${REDIS_CREDENTIAL_ENV.username}, ${REDIS_CREDENTIAL_ENV.password}.`,
    ].join('\n'),
  });
}
