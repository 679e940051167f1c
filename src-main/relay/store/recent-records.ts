// The records this process last read or wrote, bounded in count and bytes. Only ever used as a
// guess that a compare-and-set commit then validates (a stale copy costs one retry, never a
// wrong answer): it spares the read of a record this process has just written, e.g. the request
// a node answers right after this process dispatched it.
import type { Versioned } from './state-store';

const MAX_ENTRIES = 1024;
const MAX_BYTES = 8 * 1024 * 1024;

export class RecentRecords {
  private readonly entries = new Map<string, { version: number; json: string }>();
  private bytes = 0;

  remember(key: string, version: number, json: string): void {
    this.forget(key);
    this.entries.set(key, { version, json });
    this.bytes += json.length;
    for (const [oldest, e] of this.entries) {
      if (this.entries.size <= MAX_ENTRIES && this.bytes <= MAX_BYTES) break;
      this.entries.delete(oldest);
      this.bytes -= e.json.length;
    }
  }

  forget(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.bytes -= e.json.length;
  }

  /** A fresh copy (callers may not share objects with the cache). */
  recall<T>(key: string): Versioned<T> | undefined {
    const e = this.entries.get(key);
    return e ? { version: e.version, value: JSON.parse(e.json) as T } : undefined;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}
