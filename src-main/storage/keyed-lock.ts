/** Serialises async sections per key (e.g. per conversation): each starts when the previous one with the same key has settled. */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, section: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(section, section);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Resolves when every section queued so far under `key` has settled (never rejects). */
  async settled(key: string): Promise<void> {
    await this.tails.get(key);
  }

  /** Resolves when every section queued so far, under any key, has settled (never rejects). */
  async allSettled(): Promise<void> {
    await Promise.all(this.tails.values());
  }
}
