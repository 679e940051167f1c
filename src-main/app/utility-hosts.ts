// RelayHost and NodeHost that run the embedded relay and the compute node in Electron utility
// processes, so a crash there cannot take the window down. The backend restarts them.
import { generateLaunchSecret, type NodeHost, type NodeHostConfig, type NodeHostStatus, type RelayHost } from '../backend';
import { UtilityChild, type UtilityChildOptions } from './utility-child';
import { NodeResultValues, RelayResultValues, type UtilityRelayConfig } from './utility/messages';

type ForkOptions = Omit<UtilityChildOptions, 'label'>;

export function createUtilityRelayHost(opts: ForkOptions & { config?: Omit<UtilityRelayConfig, 'launchSecret'> }): RelayHost {
  const child = new UtilityChild({ ...opts, label: 'embedded relay' });
  // One secret per launch (§12): the relay process requires it, main's client and the node process send it.
  const launchSecret = generateLaunchSecret();
  let url: string | undefined;
  // After a crash the new process listens on the same port, so nodes and clients keep the URL.
  let port: number | undefined;
  const startOn = (p: number | undefined) =>
    child.call({ method: 'start', config: { ...opts.config, launchSecret, ...(p !== undefined && { port: p }) } }, RelayResultValues.start);
  child.onCrash(() => {
    url = undefined;
  });
  return {
    launchSecret,
    async start() {
      const started = await startOn(port).catch((error: unknown) => {
        // The remembered port may have been taken meanwhile: any free port beats no relay.
        if (port === undefined) throw error;
        return startOn(0);
      });
      url = started.url;
      port = Number(new URL(started.url).port) || undefined;
      return started;
    },
    async stop() {
      url = undefined;
      if (!child.running) return;
      await child.call({ method: 'stop' }, RelayResultValues.stop).catch(() => undefined);
      child.kill();
    },
    url: () => url,
    nodeCount: async () => (child.running ? child.call({ method: 'nodeCount' }, RelayResultValues.nodeCount) : 0),
    onCrash: (listener) => child.onCrash(listener),
  };
}

const STOPPED: NodeHostStatus = { state: 'stopped', inFlight: 0, served: 0 };

export function createUtilityNodeHost(opts: ForkOptions): NodeHost {
  const child = new UtilityChild({ ...opts, label: 'compute node' });
  let status: NodeHostStatus = STOPPED;
  const statusListeners = new Set<(s: NodeHostStatus) => void>();
  const publish = (next: NodeHostStatus) => {
    status = next;
    for (const listener of statusListeners) listener(next);
  };
  child.onStatus(publish);
  child.onCrash((error) => {
    status = { ...STOPPED, state: 'crashed', error: error.message };
  });
  return {
    async start(cfg: NodeHostConfig) {
      await child.call({ method: 'start', config: cfg }, NodeResultValues.start);
    },
    async stop() {
      if (child.running) {
        await child.call({ method: 'stop' }, NodeResultValues.stop).catch(() => undefined);
        child.kill();
      }
      publish(STOPPED);
    },
    status: () => status,
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    onCrash: (listener) => child.onCrash(listener),
  };
}
