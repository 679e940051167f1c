// What the compute-node utility process does with each call: runs one in-process NodeHost and
// forwards its status changes.
import type { NodeHost } from '../../backend';
import { NodeCallSchema } from './messages';
import { describeError, serveCalls, type ParentPortLike } from './serve';

export function serveNodeHost(port: ParentPortLike, createHost: () => NodeHost): void {
  let host: NodeHost | undefined;
  const send = serveCalls(port, NodeCallSchema, async (call) => {
    switch (call.method) {
      case 'start': {
        if (!host) {
          host = createHost();
          host.onStatus((status) => send({ type: 'status', status }));
          host.onCrash((error) => send({ type: 'crash', error: describeError(error) }));
        }
        await host.start(call.config);
        send({ type: 'status', status: host.status() });
        return null;
      }
      case 'stop':
        await host?.stop();
        if (host) send({ type: 'status', status: host.status() });
        return null;
    }
  });
}
