// gateway:* — the client's local OpenAI-compatible gateway (127.0.0.1, bearer token). The token
// is kept in the SecretStore and shown to the user (the contract's one deliberate exception).
import { z } from 'zod';
import type { GatewayStatus } from '../../src-shared/ipc/contract';
import { generateGatewayToken, startGateway, type ChatRequest, type ChatService, type RunningGateway } from '../client';
import type { RecordStore, SecretStore } from '../storage';

const TOKEN_SECRET = 'gateway.token';
const GatewayRecordSchema = z.object({ enabled: z.boolean(), port: z.number().int().min(0).max(65535).optional() });

export class Gateway {
  private running: RunningGateway | null = null;
  private error: string | undefined;

  constructor(
    private readonly chat: ChatService,
    private readonly records: RecordStore,
    private readonly secrets: SecretStore,
  ) {}

  status(): GatewayStatus {
    if (!this.running) return { enabled: false, ...(this.error && { error: this.error }) };
    return { enabled: true, url: `${this.running.url}/v1`, token: this.running.token };
  }

  async startIfEnabled(): Promise<void> {
    if ((await this.records.read('gateway', GatewayRecordSchema))?.enabled) await this.setEnabled(true);
  }

  async setEnabled(enabled: boolean): Promise<GatewayStatus> {
    const saved = await this.records.read('gateway', GatewayRecordSchema);
    if (enabled && !this.running) {
      let token = await this.secrets.get(TOKEN_SECRET);
      if (!token) {
        token = generateGatewayToken();
        await this.secrets.set(TOKEN_SECRET, token);
      }
      const config = { chat: (req: ChatRequest) => this.chat.chat(req), listModels: () => this.chat.models(), token };
      try {
        // Reuse the last port so tools configured with the URL keep working; any port if it is taken.
        this.running = await startGateway({ ...config, port: saved?.port ?? 0 }).catch(() => startGateway(config));
        this.error = undefined;
      } catch {
        this.error = 'The local gateway could not start.';
      }
    } else if (!enabled && this.running) {
      await this.running.close();
      this.running = null;
    }
    const port = this.running?.port ?? saved?.port;
    await this.records.write('gateway', { enabled: this.running !== null, ...(port !== undefined && { port }) });
    return this.status();
  }

  async close(): Promise<void> {
    await this.running?.close();
    this.running = null;
  }
}
