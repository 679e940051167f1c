// Hosts whose crash a test can cause. The in-process hosts cannot die on their own (they share the
// test's process), so a test that needs the backend's crash handling wraps them: simulateCrash()
// stops the host as if its process had died, then tells the host's crash listeners, which is
// what the backend's supervisor restarts on.
import type { NodeHost, RelayHost } from '../../src-main/backend';

export interface CrashControl {
  /** Stops the host and reports `message` to its crash listeners. */
  simulateCrash(message?: string): Promise<void>;
}

export type Crashable<H extends RelayHost | NodeHost> = H & CrashControl;

/** Wraps a host built from closures (the in-process hosts are). */
export function crashable<H extends RelayHost | NodeHost>(host: H, defaultMessage: string): Crashable<H> {
  const listeners = new Set<(error: Error) => void>();
  const onCrash = (listener: (error: Error) => void): (() => void) => {
    const off = host.onCrash(listener);
    listeners.add(listener);
    return () => {
      off();
      listeners.delete(listener);
    };
  };
  const control: CrashControl = {
    async simulateCrash(message = defaultMessage) {
      await host.stop();
      const crash = new Error(message);
      for (const listener of listeners) {
        try {
          listener(crash);
        } catch {
          // as the hosts do: one listener's failure does not stop the others
        }
      }
    },
  };
  return Object.assign({ ...host }, { onCrash }, control);
}
