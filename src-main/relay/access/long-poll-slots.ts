// Long polls a sender may hold at once (§5.1), per relay process: a long poll holds a connection
// and a waiter for up to its whole wait, so their number per sender is capped, apart for node
// polls, client retrieves and stream reads (§11.5; clients on one address cannot starve a node
// behind it, nor its streams its retrieves).
export type LongPollKind = 'node-poll' | 'retrieve' | 'stream';

export class LongPollSlots {
  private readonly held = new Map<string, number>();

  constructor(private readonly perSender: number) {}

  /** A release function when `group` may hold one more long poll of `kind`, else null. */
  tryHold(kind: LongPollKind, group: string): (() => void) | null {
    const key = `${kind} ${group}`;
    const count = this.held.get(key) ?? 0;
    if (count >= this.perSender) return null;
    this.held.set(key, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.held.get(key) ?? 1) - 1;
      if (left > 0) this.held.set(key, left);
      else this.held.delete(key);
    };
  }

  /** Long polls held now (all kinds, all senders). */
  get total(): number {
    let n = 0;
    for (const count of this.held.values()) n += count;
    return n;
  }
}
