// A read that must not wait on a store in trouble (`/healthz`): answered from the connection's
// state at once when the store is known to be down, else bounded by a short wait.
import { StoreUnavailableError, type StateStore, type StoreHealth } from './state-store';

export type Probed<T> = { ok: true; value: T } | { ok: false; health: StoreHealth };

export async function probeStore<T>(store: StateStore, read: () => Promise<T>, withinMs: number): Promise<Probed<T>> {
  const known = store.health();
  if (known.state !== 'ok') return { ok: false, health: known };
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Probed<T>>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, health: { state: 'unavailable', reason: `no answer within ${withinMs} ms` } }), withinMs);
  });
  const done = read().then(
    (value): Probed<T> => ({ ok: true, value }),
    (err: unknown): Probed<T> => {
      if (!(err instanceof StoreUnavailableError)) throw err;
      return { ok: false, health: { state: 'unavailable', reason: err.reason } };
    },
  );
  try {
    return await Promise.race([done, late]);
  } finally {
    clearTimeout(timer);
    done.catch(() => undefined); // a late failure of the abandoned read is not this caller's
  }
}
