import { act, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useCopy } from './useCopy';

afterEach(() => vi.restoreAllMocks());

describe('useCopy', () => {
  it('writes the text and says so for a moment', async () => {
    vi.useFakeTimers();
    try {
      const { result } = renderHook(() => useCopy());
      await act(() => result.current.copy('secret-free text'));
      expect(await navigator.clipboard.readText()).toBe('secret-free text');
      expect(result.current.copied).toBe(true);
      act(() => vi.advanceTimersByTime(1500));
      expect(result.current.copied).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not claim a copy the clipboard refused', async () => {
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(new Error('denied'));
    const { result } = renderHook(() => useCopy());
    await act(() => result.current.copy('x'));
    expect(result.current.copied).toBe(false);
  });
});
