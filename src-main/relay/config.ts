// Relay configuration: one zod schema with defaults (reference values of docs/protocol.md §2.6.2
// and §5.1), shared by startRelay(), the CLI flags and the environment variables.
import { z } from 'zod';
import { REFERENCE_DEFAULTS } from '../../src-shared/protocol/constants';
import { MAX_RETRIEVE_WAIT_SECONDS } from '../../src-shared/protocol/relay-http';
import { STREAM_LIMITS } from '../../src-shared/protocol/stream';

const WINDOW_UNITS: Record<string, number> = { second: 1, minute: 60, hour: 3600, day: 86400 };

/** A fixed-window budget: `limit` hits per `windowSeconds`. */
export const RateBudget = z.object({
  limit: z.number().int().min(1),
  windowSeconds: z.number().positive(),
});
export type RateBudget = z.infer<typeof RateBudget>;

/** Parses Flask-Limiter style budgets: "60 per hour", "60/hour", "1000 per day; 5/second". */
export function parseRateBudgets(text: string): RateBudget[] {
  return text
    .split(/[,;]/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^(\d+)\s*(?:per|\/)\s*(\d+\s*)?(second|minute|hour|day)s?$/i.exec(part);
      if (!m) throw new ConfigError(`invalid rate limit "${part}" (expected e.g. "60 per hour")`);
      const multiple = m[2] ? Number(m[2]) : 1;
      return { limit: Number(m[1]), windowSeconds: multiple * (WINDOW_UNITS[m[3]!.toLowerCase()] ?? 1) };
    });
}

export const NODE_ROUTE_IDS = ['register', 'poll', 'control', 'responses', 'progress', 'unregister'] as const;
export type NodeRouteId = (typeof NODE_ROUTE_IDS)[number];

const RateLimitsSchema = z.object({
  enabled: z.boolean().default(true),
  /** Per client IP on public (non-exempt) routes: API_RATE_LIMIT and API_DAILY_QUOTA (§5.1). */
  publicPerIp: z.array(RateBudget).default([
    { limit: 60, windowSeconds: 3600 },
    { limit: 1000, windowSeconds: 86400 },
  ]),
  /** Per IP on compute-node routes (API_RELAY_CONTROL_PLANE_IP_RATE_LIMIT). */
  nodePerIp: z.array(RateBudget).default([{ limit: 10000, windowSeconds: 3600 }]),
  /** Per proven identity (node key / client key) and route, per hour (§5.1). */
  nodePerIdentityPerHour: z
    .object({
      register: z.number().int().min(1).default(240),
      poll: z.number().int().min(1).default(1200),
      control: z.number().int().min(1).default(1200),
      responses: z.number().int().min(1).default(1200),
      progress: z.number().int().min(1).default(7200),
      unregister: z.number().int().min(1).default(240),
    })
    .prefault({}),
  /** Length of the per-identity window (default one hour; tests shorten it). */
  identityWindowSeconds: z.number().positive().default(3600),
  /**
   * Most counters the in-memory store keeps (§5.1); past it the least recently charged one is
   * dropped, so memory stays bounded however many addresses send. Redis counters expire instead.
   */
  maxCounters: z.number().int().min(16).default(100_000),
});

/** Per-process caps on held connections (§5.1); they apply whether or not rate limits are on. */
const ConnectionLimitsSchema = z.object({
  /** Open TCP connections of this process; Node closes any further one at once. */
  maxConnections: z.number().int().min(1).default(4096),
  /**
   * Long polls held at once per sender (IPv4 address or IPv6 /64), counted apart for node polls
   * (more: 429 too_many_long_polls) and waiting retrieves (more are answered at once).
   */
  maxLongPollsPerSender: z.number().int().min(1).default(32),
});

/** The launch secret of §12: 32 random bytes, base64url without padding. */
export const LAUNCH_SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const RelayConfigSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(0),
    /** Redis URL; absent = in-memory state (one process). */
    redisUrl: z.string().url().optional(),
    /** Redis ACL user and password, kept out of the URL (and so off the command line). */
    redisUsername: z.string().min(1).optional(),
    redisPassword: z.string().min(1).optional(),
    redisKeyPrefix: z.string().min(1).default('tokenplace:relay:'),
    /** Compute-node tokens (X-Relay-Server-Token); empty = node routes open (§2.2). */
    relayTokens: z.array(z.string().min(1)).default([]),
    leaseSeconds: z.number().min(1).default(REFERENCE_DEFAULTS.leaseSeconds),
    pollWaitSeconds: z.number().min(0).max(60).default(REFERENCE_DEFAULTS.pollWaitSeconds),
    inFlightTtlSeconds: z.number().min(0.05).optional(),
    /**
     * §2.4.1 servers/next offers only nodes long-polling now, seen (poll or heartbeat) within this
     * many seconds, or holding live in-flight leases within their lease: a node that died is no
     * longer offered long before its lease (which ends what it held) runs out.
     */
    nodeLivenessSeconds: z.number().min(0.1).max(3600).default(5),
    requestDeadlineSeconds: z.number().min(0.05).max(3600).default(REFERENCE_DEFAULTS.requestDeadlineSeconds),
    terminalTtlSeconds: z.number().min(0.05).default(REFERENCE_DEFAULTS.terminalRecordTtlSeconds),
    tombstoneTtlSeconds: z.number().min(0.05).max(300).default(REFERENCE_DEFAULTS.controlTombstoneTtlSeconds),
    /** Undelivered answers are dropped after this long (the reference keeps them forever). */
    responseTtlSeconds: z.number().min(0.05).default(300),
    maxQueueDepthPerNode: z.number().int().min(1).default(REFERENCE_DEFAULTS.maxQueueDepthPerNode),
    maxRetrieveWaitSeconds: z.number().min(0).max(MAX_RETRIEVE_WAIT_SECONDS).default(MAX_RETRIEVE_WAIT_SECONDS),
    /** Request body limit (413 above). */
    bodyLimitBytes: z.number().int().min(1024).default(2 * 1024 * 1024),
    progressBodyLimitBytes: z.number().int().min(256).default(REFERENCE_DEFAULTS.progressBodyLimitBytes),
    /**
     * §11.4 unread stream chunks all requests together may hold, in MiB of `ciphertext`
     * characters; past it appends get 429 stream_buffer_full (each request also holds at most
     * STREAM_LIMITS.bufferMaxBytes).
     */
    streamBufferTotalMb: z.number().min(1).max(65_536).default(128),
    /** §11.5 how often an idle events response gets a keep-alive comment (tests shorten it). */
    streamKeepAliveMs: z.number().int().min(10).default(STREAM_LIMITS.sseKeepAliveMs),
    /** How long a client may take to send its headers / whole request body (slow clients get 408; long-poll waits do not count). */
    headersTimeoutMs: z.number().int().min(100).default(10_000),
    requestTimeoutMs: z.number().int().min(100).default(30_000),
    sweepIntervalMs: z.number().int().min(10).default(1000),
    /** §2.6.5 longest graceful drain on SIGTERM before the relay closes anyway. */
    drainSeconds: z.number().min(0).max(3600).default(10),
    rateLimits: RateLimitsSchema.prefault({}),
    connectionLimits: ConnectionLimitsSchema.prefault({}),
    /**
     * §12: the app's own relay. No CORS, only its own loopback `Host`, and `launchSecret` required
     * in `x-tokenplace-launch-secret` on every route. Absent = a standalone relay (CORS on).
     */
    embedded: z.object({ launchSecret: z.string().regex(LAUNCH_SECRET_PATTERN, 'must be 32 random bytes in base64url (43 characters)') }).strict().optional(),
    /** /healthz and /relay/diagnostics list node keys only when true (§2.6.4). */
    publishNodeKeys: z.boolean().default(false),
    /** Models listed by /api/v1/models even without a registered node (the reference's static catalogue). */
    catalogModels: z.array(z.string().min(1)).default([]),
    /** Use X-Forwarded-For for client IPs (only behind a trusted reverse proxy). */
    trustProxy: z.boolean().default(false),
    /** Also export Node process metrics (CPU, memory, event loop, GC) on /metrics. */
    processMetrics: z.boolean().default(false),
    /** Bearer token required on /metrics when set. */
    metricsToken: z.string().min(1).optional(),
    /** Serve /metrics without a token although the relay listens on a non-loopback address. */
    publicMetrics: z.boolean().default(false),
    environment: z.string().min(1).default('dev'),
    /** Access log sink: one line per request (method, route, status, duration). Never bodies or keys. */
    log: z.custom<(line: string) => void>((v) => typeof v === 'function').optional(),
  })
  .transform((c) => ({ ...c, inFlightTtlSeconds: c.inFlightTtlSeconds ?? c.leaseSeconds }));

export type RelayConfigInput = z.input<typeof RelayConfigSchema>;
export type ResolvedRelayConfig = z.output<typeof RelayConfigSchema>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function resolveRelayConfig(input: RelayConfigInput = {}): ResolvedRelayConfig {
  const parsed = RelayConfigSchema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(config)'}: ${i.message}`);
    throw new ConfigError(`invalid relay configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
