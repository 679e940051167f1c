import { useCallback, useEffect, useState } from 'react';
import { boot, notConnected, type BootOptions, type BootResult } from '../lib/boot';

/**
 * Boots the app once per attempt and undoes it on unmount. `result` is undefined while booting;
 * `retry()` boots again (after an unlock, or from the "could not start" screen).
 */
export function useBoot(options?: BootOptions): { result?: BootResult; retry(): void } {
  const [result, setResult] = useState<BootResult | undefined>(notConnected);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (notConnected()) return;
    let stop: (() => void) | undefined;
    let cancelled = false;
    void boot(options).then((r) => {
      if (cancelled) return r.stop();
      stop = r.stop;
      setResult(r.result);
    });
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [attempt, options]);

  const retry = useCallback(() => {
    setResult(undefined);
    setAttempt((a) => a + 1);
  }, []);

  return { result, retry };
}
