import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SupervisedState } from '../../src-shared/vocabulary';
import { Supervisor } from './supervisor';

function harness(failStarts: number[]) {
  let now = 0;
  const crashListeners = new Set<(e: Error) => void>();
  const states: SupervisedState[] = [];
  const startTimes: number[] = [];
  let call = 0;
  const supervisor = new Supervisor({
    start: async () => {
      startTimes.push(now);
      if (failStarts.includes(call++)) throw new Error('boom\nstack line');
    },
    stop: async () => undefined,
    onCrash: (l) => {
      crashListeners.add(l);
      return () => crashListeners.delete(l);
    },
    onChange: (s) => states.push(s),
    backoff: { initial: 100, max: 400 },
    now: () => now,
  });
  const crash = () => {
    for (const l of crashListeners) l(new Error('process exited'));
  };
  const advance = async (ms: number) => {
    now += ms;
    await vi.advanceTimersByTimeAsync(ms);
  };
  return { supervisor, states, startTimes, crash, advance, setNow: (t: number) => (now = t) };
}

describe('Supervisor restart policy', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('restarts with exponential backoff up to the cap and counts restarts', async () => {
    vi.useFakeTimers();
    // call 0: first start ok; calls 1..3 fail; call 4 succeeds
    const h = harness([1, 2, 3]);
    await h.supervisor.start();
    h.crash();
    expect(h.supervisor.state).toBe('crashed');
    expect(h.supervisor.lastError).toBe('process exited');
    await h.advance(100); // attempt 1 (fails) after 100
    await h.advance(200); // attempt 2 (fails) after 200
    await h.advance(400); // attempt 3 (fails) after 400
    expect(h.supervisor.state).toBe('crashed');
    expect(h.supervisor.lastError).toBe('boom');
    await h.advance(399);
    expect(h.startTimes).toHaveLength(4);
    await h.advance(1); // attempt 4 after the 400 cap, succeeds
    expect(h.supervisor.state).toBe('running');
    expect(h.supervisor.restarts).toBe(1);
    expect(h.startTimes).toEqual([0, 100, 300, 700, 1100]);
    expect(h.states).toEqual(['starting', 'running', 'crashed', 'restarting', 'crashed', 'restarting', 'crashed', 'restarting', 'crashed', 'restarting', 'running']);
  });

  it('a deliberate stop cancels a pending restart and ignores later crashes', async () => {
    vi.useFakeTimers();
    const h = harness([]);
    await h.supervisor.start();
    h.crash();
    await h.supervisor.stop();
    await h.advance(1000);
    h.crash();
    expect(h.supervisor.state).toBe('stopped');
    expect(h.startTimes).toEqual([0]);
  });

  it('starts over at the shortest delay after a long stable run', async () => {
    vi.useFakeTimers();
    const h = harness([1]);
    await h.supervisor.start();
    h.crash();
    await h.advance(100); // fails
    await h.advance(200); // succeeds
    expect(h.supervisor.state).toBe('running');
    h.setNow(100_000);
    h.crash();
    await h.advance(100);
    expect(h.supervisor.state).toBe('running');
    expect(h.supervisor.restarts).toBe(2);
  });

  it('rejects when the first start fails and stays stopped', async () => {
    const h = harness([0]);
    await expect(h.supervisor.start()).rejects.toThrow('boom');
    expect(h.supervisor.state).toBe('stopped');
  });
});
