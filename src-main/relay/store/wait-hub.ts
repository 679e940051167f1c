// Local fan-out of "something happened on channel X" to waiting long polls. Both stores use it;
// the Redis store feeds it from pub/sub so waiters in every process wake.

export class WaitHub {
  private readonly waiters = new Map<string, Set<() => void>>();

  notify(channel: string): void {
    const set = this.waiters.get(channel);
    if (!set) return;
    this.waiters.delete(channel);
    for (const wake of set) wake();
  }

  wait(channel: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted || timeoutMs <= 0) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      let set = this.waiters.get(channel);
      if (!set) {
        set = new Set();
        this.waiters.set(channel, set);
      }
      const finish = (woken: boolean) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const current = this.waiters.get(channel);
        if (current) {
          current.delete(wake);
          if (current.size === 0) this.waiters.delete(channel);
        }
        resolve(woken);
      };
      const wake = () => finish(true);
      const onAbort = () => finish(false);
      const timer = setTimeout(() => finish(false), timeoutMs);
      set.add(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  get size(): number {
    let n = 0;
    for (const set of this.waiters.values()) n += set.size;
    return n;
  }
}
