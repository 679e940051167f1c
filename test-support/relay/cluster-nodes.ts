// Nodes registered on a relay over a Redis Cluster until their state sits on at least two
// masters (§2.6.6: a node's keys live in the shard of its id), each with the master it landed on.
import { generateRsaKeyPair, type RsaKeyPair } from '../../src-main/crypto';
import type { RunningRelay } from '../../src-main/relay/index';
import { TestNode } from './actors';
import type { LocalRedisCluster } from './redis-server';

export interface PlacedNode {
  node: TestNode;
  /** Index in `cluster.masters` of the master that holds the node's record. */
  master: number;
}

export async function nodesOnTwoMasters(relay: RunningRelay, cluster: LocalRedisCluster, firstKeys?: RsaKeyPair): Promise<PlacedNode[]> {
  const ours = `${relay.config.redisKeyPrefix}*`;
  const placed: PlacedNode[] = [];
  let before = await cluster.keysPerMaster(ours);
  for (let i = 0; i < 12; i++) {
    const node = await TestNode.create(relay.url, { keys: i === 0 && firstKeys ? firstKeys : await generateRsaKeyPair() });
    const registered = await node.register();
    if (registered.status !== 200) throw new Error(`node registration answered ${registered.status}`);
    const after = await cluster.keysPerMaster(ours);
    const master = after.findIndex((n, m) => n > before[m]!);
    if (master < 0) throw new Error('a registered node added no key on any master');
    placed.push({ node, master });
    before = after;
    if (new Set(placed.map((p) => p.master)).size >= 2) return placed;
  }
  throw new Error('12 nodes all landed on one master');
}
