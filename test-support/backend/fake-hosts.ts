// Scriptable RelayHost/NodeHost stand-ins for backend tests that do not need real chat.
import type { NodeHost, NodeHostConfig, NodeHostStatus, RelayHost } from '../../src-main/backend/types';

export class FakeRelayHost implements RelayHost {
  readonly launchSecret = 'fake-launch-secret-of-this-test-0123456789a';
  running = false;
  starts = 0;
  failNextStarts = 0;
  nodes = 0;
  private readonly crashListeners = new Set<(e: Error) => void>();
  constructor(public address = 'http://127.0.0.1:9') {}

  async start(): Promise<{ url: string }> {
    this.starts++;
    if (this.failNextStarts > 0) {
      this.failNextStarts--;
      throw new Error('port busy');
    }
    this.running = true;
    return { url: this.address };
  }
  async stop(): Promise<void> {
    this.running = false;
  }
  url(): string | undefined {
    return this.running ? this.address : undefined;
  }
  async nodeCount(): Promise<number> {
    return this.nodes;
  }
  onCrash(listener: (e: Error) => void): () => void {
    this.crashListeners.add(listener);
    return () => this.crashListeners.delete(listener);
  }
  crash(message = 'relay process exited'): void {
    this.running = false;
    for (const l of this.crashListeners) l(new Error(message));
  }
}

export class FakeNodeHost implements NodeHost {
  configs: NodeHostConfig[] = [];
  current: NodeHostStatus = { state: 'stopped', inFlight: 0, served: 0 };
  private readonly statusListeners = new Set<(s: NodeHostStatus) => void>();
  private readonly crashListeners = new Set<(e: Error) => void>();

  async start(cfg: NodeHostConfig): Promise<void> {
    this.configs.push(cfg);
    this.set({ state: 'serving', fingerprint: 'ab'.repeat(32), inFlight: 0, served: 0 });
  }
  async stop(): Promise<void> {
    this.set({ state: 'stopped', inFlight: 0, served: 0 });
  }
  status(): NodeHostStatus {
    return this.current;
  }
  onStatus(listener: (s: NodeHostStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }
  onCrash(listener: (e: Error) => void): () => void {
    this.crashListeners.add(listener);
    return () => this.crashListeners.delete(listener);
  }
  set(s: NodeHostStatus): void {
    this.current = s;
    for (const l of this.statusListeners) l(s);
  }
  crash(): void {
    this.set({ state: 'crashed', inFlight: 0, served: 0 });
    for (const l of this.crashListeners) l(new Error('node process exited'));
  }
}
