// What the relay utility process does with each call: runs one in-process RelayHost.
import { createInProcessRelayHost, type RelayHost } from '../../backend';
import { RelayCallSchema, type UtilityRelayConfig } from './messages';
import { describeError, serveCalls, type ParentPortLike } from './serve';

export function serveRelayHost(port: ParentPortLike, createHost: (config: UtilityRelayConfig) => RelayHost): void {
  let host: RelayHost | undefined;
  const send = serveCalls(port, RelayCallSchema, async (call) => {
    switch (call.method) {
      case 'start': {
        const url = host?.url();
        if (url) return { url };
        // A fresh host per attempt, so a retry on another port really uses that port.
        const next = createHost(call.config);
        host = next;
        next.onCrash((error) => send({ type: 'crash', error: describeError(error) }));
        return next.start();
      }
      case 'stop':
        await host?.stop();
        return null;
      case 'nodeCount':
        return host ? host.nodeCount() : 0;
    }
  });
}

/** The relay a `start` call asks for: the app's embedded relay, requiring main's launch secret (§12). */
export function createEmbeddedRelayHost({ launchSecret, ...config }: UtilityRelayConfig): RelayHost {
  return createInProcessRelayHost({ ...config, embedded: { launchSecret } });
}
