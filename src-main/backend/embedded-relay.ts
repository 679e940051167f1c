// relay:* — the embedded relay: on/off (remembered), status with node count and restarts.
import { z } from 'zod';
import type { EmbeddedRelayStatus } from '../../src-shared/ipc/contract';
import type { RecordStore } from '../storage';
import { Supervisor } from './supervisor';
import type { RelayAccess, RelayHost } from './types';

const RelayRecordSchema = z.object({ enabled: z.boolean() });

export class EmbeddedRelay {
  private enabled = true;
  private nodes = 0;
  private readonly supervisor: Supervisor;
  private readonly urlListeners = new Set<(url: string | null) => void>();

  constructor(
    private readonly host: RelayHost,
    private readonly records: RecordStore,
    private readonly changed: (s: EmbeddedRelayStatus) => void,
    backoff: { initial: number; max: number },
  ) {
    this.supervisor = new Supervisor({
      start: async () => void (await host.start()),
      stop: () => host.stop(),
      onCrash: (l) => host.onCrash(l),
      onChange: (state) => {
        for (const l of this.urlListeners) l(state === 'running' ? (host.url() ?? null) : null);
        this.changed(this.snapshot());
      },
      backoff,
    });
  }

  async load(): Promise<void> {
    this.enabled = (await this.records.read('relay', RelayRecordSchema))?.enabled ?? true;
  }

  get isEnabled(): boolean {
    return this.enabled;
  }

  /** The relay's URL while it runs. */
  url(): string | null {
    return this.supervisor.state === 'running' ? (this.host.url() ?? null) : null;
  }

  /** URL and launch secret while it runs: for the app's own client and node only (§12). */
  access(): RelayAccess | null {
    const url = this.url();
    return url === null ? null : { url, launchSecret: this.host.launchSecret };
  }

  onUrl(listener: (url: string | null) => void): () => void {
    this.urlListeners.add(listener);
    return () => this.urlListeners.delete(listener);
  }

  private snapshot(): EmbeddedRelayStatus {
    const url = this.url();
    return {
      enabled: this.enabled,
      state: this.supervisor.state,
      ...(url && { url }),
      nodeCount: this.supervisor.state === 'running' ? this.nodes : 0,
      restarts: this.supervisor.restarts,
      ...(this.supervisor.lastError && { error: this.supervisor.lastError }),
    };
  }

  async status(): Promise<EmbeddedRelayStatus> {
    if (this.supervisor.state === 'running') this.nodes = await this.host.nodeCount().catch(() => this.nodes);
    return this.snapshot();
  }

  /** Starts it when enabled; a failed start is reported in the status, not thrown. */
  async startIfEnabled(): Promise<void> {
    if (!this.enabled) return;
    await this.supervisor.start().catch(() => undefined);
  }

  async setEnabled(enabled: boolean): Promise<EmbeddedRelayStatus> {
    this.enabled = enabled;
    await this.records.write('relay', { enabled });
    if (enabled) await this.supervisor.start().catch(() => undefined);
    else await this.supervisor.stop();
    return this.status();
  }

  async close(): Promise<void> {
    this.supervisor.close();
    await this.host.stop().catch(() => undefined);
  }
}
