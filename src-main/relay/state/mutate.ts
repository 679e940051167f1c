// Optimistic read-modify-write of one record: the decision function sees the current value and
// returns the next one (plus the index updates and wake-ups that go with it); one commit makes
// write and effects atomic, so concurrent transitions (also from other relay processes) have
// exactly one winner and the losers re-decide on fresh state.
import type { Effect, StateStore, Versioned } from '../store/state-store';
import { StoreUnavailableError } from '../store/state-store';

export type Decision<T, R> =
  | { write: T | null; ttlMs?: number; effects?: Effect[]; result: R }
  | { keep: true; result: R };

const MAX_ATTEMPTS = 32;

export async function mutate<T, R>(
  store: StateStore,
  key: string,
  decide: (current: T | null) => Decision<T, R>,
  /** The record as just read by the caller: spares the first read (a stale one only costs a retry). */
  snapshot?: Versioned<T> | null,
): Promise<R> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = attempt === 0 && snapshot !== undefined ? snapshot : await store.get<T>(key);
    const decision = decide(current?.value ?? null);
    if ('keep' in decision) return decision.result;
    if (current === null && decision.write === null && !decision.effects?.length) return decision.result;
    const outcome = await store.commit(key, current?.version ?? null, decision.write, { ttlMs: decision.ttlMs, effects: decision.effects });
    if (outcome === 'written') return decision.result;
    // Decisions carry no requireRecord and no bounded push: only a version conflict is expected.
    if (outcome !== 'conflict') throw new StoreUnavailableError(new Error(`unexpected commit outcome ${outcome} on ${key}`));
  }
  throw new StoreUnavailableError(new Error(`contention on ${key}`));
}
