// Optimistic read-modify-write of one record: the decision function sees the current value and
// returns the next one; compareAndSet makes the write atomic, so concurrent transitions (also from
// other relay processes) have exactly one winner and the losers re-decide on fresh state.
import type { StateStore } from '../store/state-store';
import { StoreUnavailableError } from '../store/state-store';

export type Decision<T, R> =
  | { write: T | null; ttlMs?: number; result: R }
  | { keep: true; result: R };

const MAX_ATTEMPTS = 32;

export async function mutate<T, R>(
  store: StateStore,
  key: string,
  decide: (current: T | null) => Decision<T, R>,
): Promise<R> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await store.get<T>(key);
    const decision = decide(current?.value ?? null);
    if ('keep' in decision) return decision.result;
    if (current === null && decision.write === null) return decision.result;
    if (await store.compareAndSet(key, current?.version ?? null, decision.write, decision.ttlMs)) return decision.result;
  }
  throw new StoreUnavailableError(new Error(`contention on ${key}`));
}
