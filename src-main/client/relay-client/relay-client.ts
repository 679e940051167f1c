// Client side of the API v1 relay E2EE protocol (docs/protocol.md §2.5 "Client"): one relay, one
// client key pair, and the steps of a chat composed — choose node, submit, wait, open answer,
// fail over (each in its own file of this folder).
import { KeyHolder } from '../../crypto';
import { ChatCancelledError } from '../errors';
import { fetchHealth, fetchModels } from '../health';
import { normalizeServerUrl } from '../server-url';
import type { ChatAnswer, ChatRequest, ServerHealth } from '../types';
import { checkChatRequest } from './chat-request';
import { ChatRun, cancelCode } from './chat-run';
import { RecentFailures } from './choose-node';
import type { ClientContext } from './context';
import { MemoryE2eeMemory } from './e2ee-memory';
import { chatWithFailover } from './fail-over';
import { LongPollSupport } from './long-poll';
import { RelayHistory } from './relay-away';
import { RelayCalls } from './relay-calls';
import { resolveSettings, type RelayClientConfig } from './settings';

export class RelayClient {
  readonly baseUrl: string;
  private readonly ctx: ClientContext;
  private keys: KeyHolder | undefined;
  private keysPending: Promise<KeyHolder> | undefined;

  constructor(config: RelayClientConfig) {
    this.baseUrl = normalizeServerUrl(config.baseUrl);
    const settings = resolveSettings(config);
    this.ctx = {
      settings,
      calls: new RelayCalls(this.baseUrl, config.fetch ?? fetch, settings, config.headers),
      recentFailures: new RecentFailures(),
      relay: new RelayHistory(),
      longPoll: new LongPollSupport(settings.longPollWaitSeconds),
      e2ee: new MemoryE2eeMemory(),
    };
    this.keys = config.keys;
  }

  /** The client's wire public key (generates the session key pair on first use). */
  async publicKeyWire(): Promise<string> {
    return (await this.keyHolder()).publicKeyWire;
  }

  /** New client key pair; requests already in flight keep the pair they started with. */
  async rotateKeys(): Promise<void> {
    await (await this.keyHolder()).rotateKeys();
  }

  health(): Promise<ServerHealth> {
    return fetchHealth(this.ctx.calls.call, this.baseUrl);
  }

  models(signal?: AbortSignal): Promise<string[]> {
    return fetchModels(this.ctx.calls.call, signal);
  }

  async chat(req: ChatRequest): Promise<ChatAnswer> {
    const chat = checkChatRequest(req);
    if (req.signal?.aborted) throw new ChatCancelledError(cancelCode(req.signal));
    const holder = await this.keyHolder();
    return chatWithFailover(this.ctx, new ChatRun(req, holder.current), chat);
  }

  private async keyHolder(): Promise<KeyHolder> {
    if (this.keys) return this.keys;
    this.keysPending ??= KeyHolder.create();
    this.keys = await this.keysPending;
    return this.keys;
  }
}
