// Runs tasks one at a time in arrival order; a waiting task whose signal aborts leaves the queue.

export class SerialLock {
  private tail: Promise<void> = Promise.resolve();
  private waiting = 0;

  /** Tasks queued or running. */
  get size(): number {
    return this.waiting;
  }

  async run<T>(task: () => Promise<T>, signal?: AbortSignal, onAbort?: () => Error): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    this.tail = previous.then(() => mine);
    this.waiting++;
    try {
      await waitUnlessAborted(previous, signal, onAbort);
      return await task();
    } finally {
      this.waiting--;
      release();
    }
  }
}

function waitUnlessAborted(turn: Promise<void>, signal: AbortSignal | undefined, onAbort?: () => Error): Promise<void> {
  if (!signal) return turn;
  const reason = (): Error => onAbort?.() ?? new Error('aborted');
  if (signal.aborted) return Promise.reject(reason());
  return new Promise<void>((resolve, reject) => {
    const abort = (): void => reject(reason());
    signal.addEventListener('abort', abort, { once: true });
    void turn.then(() => {
      signal.removeEventListener('abort', abort);
      resolve();
    });
  });
}
