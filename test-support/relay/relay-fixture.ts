// Shared set-up of the relay behaviour tests: RSA keys made once per file, relays closed after each test.
import { afterEach, beforeAll, expect } from 'vitest';
import { generateRsaKeyPair, type RsaKeyPair } from '../../src-main/crypto';
import { startRelay, type RelayConfig, type RunningRelay } from '../../src-main/relay/index';
import { TestClient, TestNode } from './actors';

export const keys: { node: RsaKeyPair; otherNode: RsaKeyPair; client: RsaKeyPair } = {} as never;
export const relays: RunningRelay[] = [];

/** Registers the vitest hooks; call once at the top of a test file. */
export function useRelayFixture(): void {
  beforeAll(async () => {
    [keys.node, keys.otherNode, keys.client] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair(), generateRsaKeyPair()]);
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.close()));
  });
}

/** An in-memory relay with short timings, a registered node and a client. */
export async function setup(config: RelayConfig = {}) {
  const logs: string[] = [];
  const relay = await startRelay({ pollWaitSeconds: 0.2, rateLimits: { enabled: false }, log: (l) => logs.push(l), ...config });
  relays.push(relay);
  const node = await TestNode.create(relay.url, { keys: keys.node });
  expect((await node.register()).status).toBe(200);
  const client = await TestClient.create(relay.url, keys.client);
  return { relay, node, client, logs };
}
