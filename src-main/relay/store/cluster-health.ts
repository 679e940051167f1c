// §2.6.6 a Redis Cluster whose master is down, seen without a round trip. The cluster client stays
// `ready` while one of its masters is gone: it drops that master's connection from its pool and
// keeps trying it, each failure a 'node error' (and, without replicas, the other masters then
// refuse every command with CLUSTERDOWN). So `/healthz` names a master that failed lately and has
// not been ready since.
import type { Cluster, Redis } from 'ioredis';
import { redisFailureReason } from './redis-failure';

/** A master's failure counts this long after its last error (the client retries well within it). */
const RECENT_MS = 5000;

export class MasterErrors {
  /** By `host:port`: why its connection fails and when it last did, until that master is ready again. */
  private readonly failing = new Map<string, { reason: string; at: number }>();

  listen(cluster: Cluster): void {
    cluster.on('node error', (err: unknown, address: unknown) => {
      if (typeof address !== 'string') return;
      // "Connection is closed" says less than the refusal or reset before it: keep that.
      const reason = redisFailureReason(err);
      const known = this.failing.get(address);
      this.failing.set(address, { reason: reason === 'connection lost' && known ? known.reason : reason, at: Date.now() });
    });
    cluster.on('+node', (node: Redis) => {
      node.once('ready', () => this.failing.delete(`${node.options.host}:${node.options.port}`));
    });
  }

  /** Why a master is down, in words, or null when none failed lately. */
  downMaster(now = Date.now()): string | null {
    for (const [address, { reason, at }] of this.failing) {
      if (now - at > RECENT_MS) this.failing.delete(address);
      else return `Redis Cluster master ${address} unreachable (${reason})`;
    }
    return null;
  }
}
