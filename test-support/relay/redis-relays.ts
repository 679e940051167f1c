// Shared set-up of the tests that run several relay processes on one Redis (standalone or a
// cluster): one Redis and the RSA keys per test file, every relay closed after each test, each
// test on its own key prefix.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { generateRsaKeyPair, type RsaKeyPair } from '../../src-main/crypto';
import { startRelay, type RelayConfig, type RunningRelay } from '../../src-main/relay/index';
import { startLocalRedis, type LocalRedis } from './redis-server';

export interface RedisRelays<R extends LocalRedis = LocalRedis> {
  /** The Redis of this file (set in beforeAll). */
  readonly redis: R;
  readonly nodeKeys: RsaKeyPair;
  readonly clientKeys: RsaKeyPair;
  /** Relays A and B on different ports sharing this Redis under a fresh key prefix. */
  pair(config?: RelayConfig): Promise<{ a: RunningRelay; b: RunningRelay }>;
  /** Closes `relay` after the current test. */
  track(relay: RunningRelay): RunningRelay;
}

/** Registers the vitest hooks; call once at the top of a test file. `start`: the Redis to run (default standalone). */
export function useRedisRelays<R extends LocalRedis = LocalRedis>(start: () => Promise<R> = () => startLocalRedis() as Promise<R>): RedisRelays<R> {
  const relays: RunningRelay[] = [];
  const held = {} as { redis: R; nodeKeys: RsaKeyPair; clientKeys: RsaKeyPair };
  beforeAll(async () => {
    [held.redis, held.nodeKeys, held.clientKeys] = await Promise.all([start(), generateRsaKeyPair(), generateRsaKeyPair()]);
  });
  afterAll(async () => {
    await held.redis?.stop();
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.close()));
  });
  const track = (relay: RunningRelay) => {
    relays.push(relay);
    return relay;
  };
  return {
    get redis() {
      return held.redis;
    },
    get nodeKeys() {
      return held.nodeKeys;
    },
    get clientKeys() {
      return held.clientKeys;
    },
    track,
    async pair(config: RelayConfig = {}) {
      const shared = {
        redisUrl: held.redis.url,
        redisKeyPrefix: `test:${randomBytes(4).toString('hex')}:`,
        pollWaitSeconds: 3,
        rateLimits: { enabled: false },
        ...config,
      };
      const a = track(await startRelay(shared));
      const b = track(await startRelay(shared));
      expect(a.port).not.toBe(b.port);
      return { a, b };
    },
  };
}
