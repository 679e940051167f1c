// servers:* — the client's ProfilesStore and ChatService seen through the IPC contract.
// Relay tokens go straight to the SecretStore (ProfilesStore.setRelayToken); replies only say
// whether one is set.
import type { InvokeRequest, ServerHealth, ServerList, ServerProfile } from '../../src-shared/ipc/contract';
import type { ContextTier } from '../../src-shared/vocabulary';
import type { ChatService, ServerHealth as ClientHealth, ProfilesStore, ServerProfile as ClientProfile } from '../client';
import { servableContextTiers } from './context-tiers';

/** Shown for the built-in relay while it is stopped (the contract wants a URL in every profile). */
export const EMBEDDED_PLACEHOLDER_URL = 'http://127.0.0.1/';

export function toContractHealth(h: ClientHealth): ServerHealth {
  return {
    state: h.state,
    models: h.models,
    checkedAt: h.checkedAt,
    ...(h.latencyMs !== undefined && { latencyMs: h.latencyMs }),
    ...(h.nodeCount !== undefined && { nodeCount: h.nodeCount }),
    ...(h.error && { error: h.error.userMessage }),
  };
}

export class Servers {
  private readonly health = new Map<string, ServerHealth>();

  constructor(
    readonly profiles: ProfilesStore,
    private readonly chat: ChatService,
    private readonly changed: (list: ServerList) => void,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    profiles.on(() => this.changed(this.list()));
  }

  private view(p: ClientProfile): ServerProfile {
    return {
      id: p.id,
      name: p.name,
      url: p.url ?? EMBEDDED_PLACEHOLDER_URL,
      kind: p.kind,
      hasRelayToken: p.hasRelayToken,
      ...(p.defaultModel !== null && { defaultModel: p.defaultModel }),
      ...(p.contextTier !== null && { defaultContextTier: p.contextTier }),
      health: this.health.get(p.id) ?? { state: 'unknown', models: [] },
      trustPolicy: p.trustPolicy,
      knownNodes: this.profiles.knownNodes(p.id),
    };
  }

  /** Steer: the id of a server in the list (an unknown one is refused as `unknown_server_profile`). */
  known(id: string): string {
    return this.profiles.get(id).id;
  }

  list(): ServerList {
    return { activeId: this.profiles.active().id, servers: this.profiles.list().map((p) => this.view(p)) };
  }

  async add(input: InvokeRequest<'servers:add'>): Promise<ServerProfile> {
    const created = await this.profiles.add({
      name: input.name,
      url: input.url,
      ...(input.defaultModel !== undefined && { defaultModel: input.defaultModel || null }),
      ...(input.defaultContextTier !== undefined && { contextTier: input.defaultContextTier }),
    });
    if (input.relayToken) await this.profiles.setRelayToken(created.id, input.relayToken);
    void this.probe(created.id).catch(() => undefined);
    return this.view(this.profiles.get(created.id));
  }

  async update(input: InvokeRequest<'servers:update'>): Promise<ServerProfile> {
    const { id, relayToken, name, url, defaultModel, defaultContextTier } = input;
    const current = this.profiles.get(id);
    // Built-ins refuse name/URL changes; re-sending the unchanged values is not a change.
    const patch = {
      ...(name !== undefined && name !== current.name && { name }),
      ...(url !== undefined && url !== current.url && url !== EMBEDDED_PLACEHOLDER_URL && { url }),
      ...(defaultModel !== undefined && { defaultModel: defaultModel || null }),
      ...(defaultContextTier !== undefined && { contextTier: defaultContextTier }),
    };
    if (Object.keys(patch).length > 0) await this.profiles.update(id, patch);
    if (relayToken !== undefined) await this.profiles.setRelayToken(id, relayToken || null);
    if ('url' in patch) this.health.delete(id);
    return this.view(this.profiles.get(id));
  }

  async remove(id: string): Promise<void> {
    await this.profiles.remove(id);
    this.health.delete(id);
  }

  async activate(id: string): Promise<ServerList> {
    await this.chat.switchServer(id);
    void this.probe(id).catch(() => undefined);
    return this.list();
  }

  async trustNode({ serverId, fingerprint }: InvokeRequest<'servers:trustNode'>): Promise<ServerProfile> {
    await this.profiles.trustNode(serverId, fingerprint, 'confirmed');
    return this.view(this.profiles.get(serverId));
  }

  async untrustNode({ serverId, fingerprint }: InvokeRequest<'servers:untrustNode'>): Promise<ServerProfile> {
    await this.profiles.untrustNode(serverId, fingerprint);
    return this.view(this.profiles.get(serverId));
  }

  async setTrustPolicy({ serverId, policy }: InvokeRequest<'servers:setTrustPolicy'>): Promise<ServerProfile> {
    await this.profiles.setTrustPolicy(serverId, policy);
    return this.view(this.profiles.get(serverId));
  }

  async probe(id: string): Promise<ServerHealth> {
    this.profiles.get(id);
    const health = toContractHealth(await this.chat.health(id));
    this.health.set(id, health);
    this.changed(this.list());
    return health;
  }

  /** The active server's default model, else the first model it offers (undefined if unknown). */
  async defaultModel(): Promise<string | undefined> {
    const active = this.profiles.active();
    return active.defaultModel ?? (await this.activeModels())[0];
  }

  /** Context tiers some node on the active server can serve (all of them when that is not knowable). */
  activeContextTiers(models: string[]): Promise<ContextTier[]> {
    const active = this.profiles.active();
    return servableContextTiers(active.url, models, this.fetchImpl, { headers: this.chat.relayHeaders(active) });
  }

  /** Models of the active server (from the last probe, refreshed when empty). */
  async activeModels(): Promise<string[]> {
    const id = this.profiles.active().id;
    const cached = this.health.get(id);
    if (cached && cached.state !== 'unknown' && cached.models.length > 0) return cached.models;
    return (await this.probe(id)).models;
  }
}
