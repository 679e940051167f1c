// Optimistic read-modify-write of one record: the decision function sees the current value and
// returns the next one (plus the index updates and wake-ups that go with it); one commit makes
// write and effects atomic, so concurrent transitions (also from other relay processes) have
// exactly one winner and the losers re-decide on fresh state.
import type { Effect, StateStore, Versioned } from '../store/state-store';
import { StoreUnavailableError } from '../store/state-store';

export type Decision<T, R> =
  | {
      write: T | null;
      ttlMs?: number;
      effects?: Effect[];
      /** The write happens only while this other record exists; otherwise mutate returns `ifMissing`. */
      requireRecord?: { key: string; ifMissing: R };
      result: R;
    }
  | { keep: true; result: R };

const MAX_ATTEMPTS = 32;

export async function mutate<T, R>(
  store: StateStore,
  key: string,
  decide: (current: T | null) => Decision<T, R>,
  /** The record as just read by the caller: spares the first read (a stale one only costs a retry). */
  snapshot?: Versioned<T> | null,
): Promise<R> {
  // First guess without a read: the caller's snapshot, else this process's recent copy. A guess
  // only stands when its write commits (the commit validates the version); a decision to keep or
  // to refuse is never taken on a recalled copy: read, then decide again.
  let current: Versioned<T> | null | undefined = snapshot !== undefined ? snapshot : store.recall<T>(key);
  let recalled = snapshot === undefined && current !== undefined;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (current === undefined) current = await store.get<T>(key);
    let decision: Decision<T, R>;
    try {
      decision = decide(current?.value ?? null);
    } catch (err) {
      if (!recalled) throw err;
      decision = { keep: true, result: undefined as R };
    }
    if ('keep' in decision) {
      if (!recalled) return decision.result;
      recalled = false;
      current = undefined;
      continue;
    }
    recalled = false;
    if (current === null && decision.write === null && !decision.effects?.length) return decision.result;
    const outcome = await store.commit(key, current?.version ?? null, decision.write, {
      ttlMs: decision.ttlMs,
      effects: decision.effects,
      requireRecord: decision.requireRecord?.key,
    });
    if (outcome === 'written') return decision.result;
    if (outcome === 'missing' && decision.requireRecord) return decision.requireRecord.ifMissing;
    // Decisions carry no bounded push: otherwise only a version conflict is expected.
    if (outcome !== 'conflict') throw new StoreUnavailableError(new Error(`unexpected commit outcome ${outcome} on ${key}`));
    current = undefined;
  }
  throw new StoreUnavailableError(new Error(`contention on ${key}`));
}
