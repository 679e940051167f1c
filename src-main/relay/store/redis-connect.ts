// Opens the Redis StateStore's two connections (commands, pub/sub). `--redis` may name a
// standalone server or any node of a Redis Cluster: INFO says which (cluster_enabled), and a
// cluster is used only when CLUSTER INFO says it is whole (state ok, all 16384 slots served).
import type { Cluster, Redis, RedisOptions } from 'ioredis';
import { redisFailureReason, redisUrlForDisplay } from './redis-failure';
import { StoreUnavailableError } from './state-store';

export type RedisConnection = Redis | Cluster;

export interface RedisTarget {
  url: string;
  username?: string;
  password?: string;
}

export interface OpenedRedis {
  command: RedisConnection;
  subscriber: RedisConnection;
  cluster: boolean;
  /** 'Redis redis://host:port' or 'Redis Cluster redis://host:port' (never a password). */
  where: string;
}

/** The cluster answered but is not whole: the relay would fail on part of its keys. */
export class ClusterNotReadyError extends Error {
  constructor(readonly detail: string) {
    super(`Redis Cluster not ready: ${detail}`);
    this.name = 'ClusterNotReadyError';
  }
}

const ALL_SLOTS = 16384;

/** `field:value` lines of an INFO-style answer. */
function infoFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0) fields.set(line.slice(0, at), line.slice(at + 1).trim());
  }
  return fields;
}

/** Why a cluster is not usable, or null when it is (state ok, every slot assigned and served). */
export function clusterProblem(clusterInfo: string): string | null {
  const f = infoFields(clusterInfo);
  const state = f.get('cluster_state') ?? 'unknown';
  const assigned = Number(f.get('cluster_slots_assigned') ?? 0);
  const served = Number(f.get('cluster_slots_ok') ?? 0);
  if (state === 'ok' && assigned === ALL_SLOTS && served === ALL_SLOTS) return null;
  return `cluster_state ${state}, ${assigned} of ${ALL_SLOTS} slots assigned, ${served} served`;
}

export async function openRedis(target: RedisTarget): Promise<OpenedRedis> {
  const options: RedisOptions = {
    maxRetriesPerRequest: 2,
    connectTimeout: 5000,
    ...(target.username !== undefined && { username: target.username }),
    ...(target.password !== undefined && { password: target.password }),
  };
  const shown = redisUrlForDisplay(target.url);
  // Connection errors surface as rejected commands (-> 503); keep them off the process. The first
  // one while connecting is the cause worth reporting (a refused login says WRONGPASS or NOAUTH
  // there; connect() itself then only says the connection closed).
  let refusal: unknown;
  const keepFirst = (err: unknown) => void (refusal ??= err);
  const opened: RedisConnection[] = [];
  const open = async <T extends RedisConnection>(connection: T): Promise<T> => {
    opened.push(connection);
    connection.on('error', keepFirst);
    await connection.connect();
    return connection;
  };
  let where = `Redis ${shown}`;
  // ioredis is loaded only here: a relay on the memory store does without it (issue 15 §3 idle RSS).
  const io = await import('ioredis');
  try {
    const first = await open(new io.Redis(target.url, { ...options, lazyConnect: true }));
    const cluster = /^cluster_enabled:1\b/m.test(await first.info('cluster'));
    if (!cluster) {
      const subscriber = await open(new io.Redis(target.url, { ...options, lazyConnect: true }));
      for (const c of opened) c.off('error', keepFirst);
      return { command: first, subscriber, cluster: false, where };
    }
    where = `Redis Cluster ${shown}`;
    const problem = clusterProblem(String(await first.call('CLUSTER', 'INFO')));
    if (problem !== null) throw new ClusterNotReadyError(problem);
    first.disconnect();
    const { hostname, port, protocol } = new URL(target.url);
    const seeds = [{ host: hostname, port: Number(port || 6379) }];
    const clusterOptions = {
      lazyConnect: true,
      redisOptions: { ...options, ...(protocol === 'rediss:' && { tls: {} }) },
    };
    const command = await open(new io.Cluster(seeds, clusterOptions));
    const subscriber = await open(new io.Cluster(seeds, clusterOptions));
    for (const c of opened) c.off('error', keepFirst);
    return { command, subscriber, cluster: true, where };
  } catch (err) {
    for (const c of opened) c.disconnect();
    if (err instanceof ClusterNotReadyError) throw new StoreUnavailableError(err, { where, reason: err.message });
    throw new StoreUnavailableError(refusal ?? err, { where, reason: redisFailureReason(refusal ?? err) });
  }
}
