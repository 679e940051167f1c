// Command-line flags and environment variables of `tokenplace-relay`. One table drives parsing,
// precedence (flag > environment > default) and the --help text. Reference env names
// (docs/protocol.md §2.2, §2.6.2, §5.1) are accepted next to our TOKENPLACE_RELAY_* names.
import { parseArgs } from 'node:util';
import { ConfigError, NODE_ROUTE_IDS, parseRateBudgets, type RelayConfigInput } from './config';

export const DEFAULT_CLI_PORT = 5010;

type Kind = 'string' | 'number' | 'int' | 'bool' | 'list' | 'budgets' | 'identity';

interface OptionSpec {
  flag: string;
  env: string[];
  kind: Kind;
  help: string;
  apply(cfg: Record<string, unknown>, value: unknown): void;
}

const set = (key: string) => (cfg: Record<string, unknown>, v: unknown) => {
  cfg[key] = v;
};
const setRate = (key: string) => (cfg: Record<string, unknown>, v: unknown) => {
  cfg.rateLimits = { ...(cfg.rateLimits as object), [key]: v };
};

export const OPTIONS: OptionSpec[] = [
  { flag: 'host', env: ['TOKENPLACE_RELAY_HOST'], kind: 'string', help: 'interface to bind (default 127.0.0.1; 0.0.0.0 for all)', apply: set('host') },
  { flag: 'port', env: ['TOKENPLACE_RELAY_PORT'], kind: 'int', help: `TCP port (default ${DEFAULT_CLI_PORT}; 0 = any free port)`, apply: set('port') },
  { flag: 'redis', env: ['TOKENPLACE_RELAY_REDIS_URL'], kind: 'string', help: 'Redis URL for shared state across relay processes (default: in memory)', apply: set('redisUrl') },
  { flag: 'redis-prefix', env: ['TOKENPLACE_RELAY_REDIS_PREFIX'], kind: 'string', help: 'Redis key prefix (default tokenplace:relay:)', apply: set('redisKeyPrefix') },
  { flag: 'relay-token', env: ['TOKENPLACE_RELAY_SERVER_TOKENS', 'TOKEN_PLACE_RELAY_SERVER_TOKENS', 'TOKEN_PLACE_RELAY_SERVER_TOKEN'], kind: 'list', help: 'compute-node token(s) required as X-Relay-Server-Token (repeatable; env: comma/newline list)', apply: set('relayTokens') },
  { flag: 'lease-seconds', env: ['TOKENPLACE_RELAY_LEASE_SECONDS', 'TOKEN_PLACE_API_V1_RELAY_SERVER_LEASE_SECONDS'], kind: 'number', help: 'node lease / next_ping_in_x_seconds (default 30)', apply: set('leaseSeconds') },
  { flag: 'poll-wait-seconds', env: ['TOKENPLACE_RELAY_POLL_WAIT_SECONDS', 'TOKEN_PLACE_API_V1_RELAY_POLL_WAIT_SECONDS'], kind: 'number', help: 'node long-poll wait (default 10)', apply: set('pollWaitSeconds') },
  { flag: 'in-flight-ttl-seconds', env: ['TOKENPLACE_RELAY_IN_FLIGHT_TTL_SECONDS', 'TOKEN_PLACE_API_V1_IN_FLIGHT_TTL_SECONDS'], kind: 'number', help: 'in-flight accounting lease (default = lease)', apply: set('inFlightTtlSeconds') },
  { flag: 'request-deadline-seconds', env: ['TOKENPLACE_RELAY_REQUEST_DEADLINE_SECONDS', 'TOKEN_PLACE_API_V1_REQUEST_DEADLINE_SECONDS'], kind: 'number', help: 'request deadline / request_ttl_seconds (default 480, max 3600)', apply: set('requestDeadlineSeconds') },
  { flag: 'terminal-ttl-seconds', env: ['TOKENPLACE_RELAY_TERMINAL_TTL_SECONDS', 'TOKENPLACE_TERMINAL_REQUEST_TTL_SECONDS'], kind: 'number', help: 'how long cancelled/expired/delivered outcomes are remembered (default 300)', apply: set('terminalTtlSeconds') },
  { flag: 'tombstone-ttl-seconds', env: ['TOKENPLACE_RELAY_TOMBSTONE_TTL_SECONDS', 'TOKEN_PLACE_API_V1_CONTROL_TOMBSTONE_TTL_SECONDS'], kind: 'number', help: 'control tombstone lifetime (default 60, max 300)', apply: set('tombstoneTtlSeconds') },
  { flag: 'response-ttl-seconds', env: ['TOKENPLACE_RELAY_RESPONSE_TTL_SECONDS'], kind: 'number', help: 'undelivered answers expire after this long (default 300)', apply: set('responseTtlSeconds') },
  { flag: 'max-queue-depth', env: ['TOKENPLACE_RELAY_MAX_QUEUE_DEPTH', 'TOKEN_PLACE_API_V1_MAX_QUEUE_DEPTH_PER_NODE'], kind: 'int', help: 'queued requests per node before 503 (default 1024)', apply: set('maxQueueDepthPerNode') },
  { flag: 'max-retrieve-wait-seconds', env: ['TOKENPLACE_RELAY_MAX_RETRIEVE_WAIT_SECONDS'], kind: 'number', help: 'longest retrieve long poll a client may ask for (default 25)', apply: set('maxRetrieveWaitSeconds') },
  { flag: 'body-limit-bytes', env: ['TOKENPLACE_RELAY_BODY_LIMIT_BYTES'], kind: 'int', help: 'request body limit, 413 above (default 2097152)', apply: set('bodyLimitBytes') },
  { flag: 'request-timeout-ms', env: ['TOKENPLACE_RELAY_REQUEST_TIMEOUT_MS'], kind: 'int', help: 'time a client has to send a whole request (default 30000; 408 after)', apply: set('requestTimeoutMs') },
  { flag: 'rate-limit-public', env: ['TOKENPLACE_RELAY_RATE_LIMIT_PUBLIC'], kind: 'budgets', help: 'per-IP budgets of public routes (default "60 per hour, 1000 per day")', apply: setRate('publicPerIp') },
  { flag: 'rate-limit-node-ip', env: ['TOKENPLACE_RELAY_RATE_LIMIT_NODE_IP', 'API_RELAY_CONTROL_PLANE_IP_RATE_LIMIT'], kind: 'budgets', help: 'per-IP budget of compute-node routes (default "10000 per hour")', apply: setRate('nodePerIp') },
  { flag: 'rate-limit-node-identity', env: ['TOKENPLACE_RELAY_RATE_LIMIT_NODE_IDENTITY'], kind: 'identity', help: `per-node hourly budgets, e.g. "poll=1200,register=240" (routes: ${NODE_ROUTE_IDS.join(', ')})`, apply: setRate('nodePerIdentityPerHour') },
  { flag: 'no-rate-limits', env: ['TOKENPLACE_RELAY_NO_RATE_LIMITS'], kind: 'bool', help: 'disable rate limiting', apply: (cfg, v) => v && setRate('enabled')(cfg, false) },
  { flag: 'publish-node-keys', env: ['TOKENPLACE_RELAY_PUBLISH_NODE_KEYS'], kind: 'bool', help: 'list node public keys on /healthz and /relay/diagnostics', apply: set('publishNodeKeys') },
  { flag: 'catalog-model', env: ['TOKENPLACE_RELAY_CATALOG_MODELS'], kind: 'list', help: 'model ids /api/v1/models lists even with no node (repeatable)', apply: set('catalogModels') },
  { flag: 'trust-proxy', env: ['TOKENPLACE_RELAY_TRUST_PROXY'], kind: 'bool', help: 'take client IPs from X-Forwarded-For (only behind your own proxy)', apply: set('trustProxy') },
  { flag: 'process-metrics', env: ['TOKENPLACE_RELAY_PROCESS_METRICS'], kind: 'bool', help: 'also export Node process metrics (CPU, memory, event loop, GC) on /metrics', apply: set('processMetrics') },
  { flag: 'metrics-token', env: ['TOKENPLACE_RELAY_METRICS_TOKEN', 'TOKENPLACE_METRICS_TOKEN'], kind: 'string', help: 'require "Authorization: Bearer <token>" on /metrics', apply: set('metricsToken') },
  { flag: 'environment', env: ['TOKENPLACE_RELAY_ENVIRONMENT'], kind: 'string', help: 'label shown by /api/v1/meta (default dev)', apply: set('environment') },
  { flag: 'quiet', env: ['TOKENPLACE_RELAY_QUIET'], kind: 'bool', help: 'no access log on stderr', apply: set('quiet') },
];

/** Reference env names for the public budgets (Flask-Limiter strings, §5.1). */
const REFERENCE_PUBLIC_ENV = ['API_RATE_LIMIT', 'API_DAILY_QUOTA'];

function convert(spec: OptionSpec, raw: string | string[] | boolean, source: string): unknown {
  const text = Array.isArray(raw) ? raw.join(',') : String(raw);
  switch (spec.kind) {
    case 'string':
      return text;
    case 'number':
    case 'int': {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n) || (spec.kind === 'int' && !Number.isInteger(n)))
        throw new ConfigError(`${source}: expected ${spec.kind === 'int' ? 'an integer' : 'a number'}, got "${text}"`);
      return n;
    }
    case 'bool':
      if (typeof raw === 'boolean') return raw;
      if (/^(1|true|yes|on)$/i.test(text)) return true;
      if (/^(0|false|no|off|)$/i.test(text)) return false;
      throw new ConfigError(`${source}: expected true/false, got "${text}"`);
    case 'list':
      return text.split(/[,\n]/).map((s) => s.trim()).filter(Boolean);
    case 'budgets':
      try {
        return parseRateBudgets(text);
      } catch (err) {
        throw new ConfigError(`${source}: ${(err as Error).message}`);
      }
    case 'identity': {
      const out: Record<string, number> = {};
      for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
        const [route, value] = part.split('=');
        if (!route || !(NODE_ROUTE_IDS as readonly string[]).includes(route) || !/^\d+$/.test(value ?? ''))
          throw new ConfigError(`${source}: expected route=count pairs, got "${part}"`);
        out[route] = Number(value);
      }
      return out;
    }
  }
}

export interface CliSettings {
  help: boolean;
  quiet: boolean;
  config: RelayConfigInput;
}

export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliSettings {
  const parsed = (() => {
    try {
      return parseArgs({
        args: argv,
        strict: true,
        allowPositionals: false,
        options: {
          help: { type: 'boolean', short: 'h' },
          ...Object.fromEntries(
            OPTIONS.map((o) => [o.flag, o.kind === 'bool' ? { type: 'boolean' as const } : { type: 'string' as const, multiple: o.kind === 'list' }]),
          ),
        },
      });
    } catch (err) {
      throw new ConfigError(`${(err as Error).message} (see --help)`);
    }
  })();
  const cfg: Record<string, unknown> = { port: DEFAULT_CLI_PORT };
  const referencePublic = REFERENCE_PUBLIC_ENV.map((name) => env[name]).filter((v): v is string => !!v);
  if (referencePublic.length > 0) setRate('publicPerIp')(cfg, parseRateBudgets(referencePublic.join(',')));
  for (const spec of OPTIONS) {
    const flagValue = (parsed.values as Record<string, string | string[] | boolean | undefined>)[spec.flag];
    if (flagValue !== undefined) {
      spec.apply(cfg, convert(spec, flagValue, `--${spec.flag}`));
      continue;
    }
    const envName = spec.env.find((name) => env[name] !== undefined && env[name] !== '');
    if (envName) spec.apply(cfg, convert(spec, env[envName]!, envName));
  }
  const quiet = cfg.quiet === true;
  delete cfg.quiet;
  return { help: parsed.values.help === true, quiet, config: cfg as RelayConfigInput };
}

export function helpText(): string {
  const lines = [
    'Usage: tokenplace-relay [options]',
    '',
    'token.place API v1 relay: routes end-to-end encrypted requests between clients and compute',
    'nodes; never sees plaintext. Every option can also be set by environment variable',
    '(flags win over the environment).',
    '',
    'Options:',
  ];
  for (const o of OPTIONS) {
    const flag = `  --${o.flag}${o.kind === 'bool' ? '' : ' <value>'}`;
    lines.push(`${flag.padEnd(38)}${o.help}`);
    lines.push(`${''.padEnd(38)}env: ${o.env.join(', ')}`);
  }
  lines.push(`${'  -h, --help'.padEnd(38)}show this help`);
  lines.push('', `Reference env names also accepted: ${REFERENCE_PUBLIC_ENV.join(', ')} (public rate limits, e.g. "60 per hour").`);
  return lines.join('\n');
}
