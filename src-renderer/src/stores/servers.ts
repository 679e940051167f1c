// Relay servers (the list, health, node-key trust), the embedded relay, and the models the active
// server offers.
import { create } from 'zustand';
import type {
  EmbeddedRelayStatus,
  InvokeReply,
  ServerHealth,
  ServerInput,
  ServerList,
  ServerProfile,
} from '../../../src-shared/ipc/contract';
import type { TrustPolicy } from '../../../src-shared/vocabulary';
import { api } from '../api/api';
import { i18n } from '../i18n';
import { describeError } from '../api/errors';
import { toastError } from './feedback';
import { useUi } from './ui';

export type ModelChoice = InvokeReply<'chat:models'>;

/** Before the active server answers `chat:models` (or when it cannot): no models, every tier. */
const UNKNOWN_CHOICE: ModelChoice = { models: [], contextTiers: ['8k-fast', '64k-full'] };

interface ServersState {
  list?: ServerList;
  relay?: EmbeddedRelayStatus;
  choice: ModelChoice;
  busy: Record<string, boolean>;
  load(): Promise<void>;
  loadModels(): Promise<void>;
  activate(id: string): Promise<void>;
  add(input: ServerInput): Promise<ServerProfile | undefined>;
  edit(id: string, input: Partial<ServerInput>): Promise<boolean>;
  remove(id: string): Promise<void>;
  probe(id: string): Promise<ServerHealth | undefined>;
  /** Probes the active server, when there is one. */
  probeActive(): void;
  /** Trusts `fingerprint` on this server: prompts go to it without asking. */
  trustNode(serverId: string, fingerprint: string): Promise<boolean>;
  /** The key stays listed, no longer trusted: the next prompt to it asks first (or is refused). */
  untrustNode(serverId: string, fingerprint: string): Promise<boolean>;
  setTrustPolicy(serverId: string, policy: TrustPolicy): Promise<boolean>;
  setRelayEnabled(enabled: boolean): Promise<void>;
  /** Follows the backend's server-list and relay events; returns the function that stops following them. */
  listen(): () => void;
}

export function activeServer(list: ServerList | undefined): ServerProfile | undefined {
  return list?.servers.find((s) => s.id === list.activeId);
}

/** The built-in relay's entry in the list. */
export function embeddedServer(list: ServerList | undefined): ServerProfile | undefined {
  return list?.servers.find((s) => s.kind === 'embedded');
}

/** Why sending cannot work right now, in plain words; undefined when it can. */
export function sendBlockReason(list: ServerList | undefined, relay: EmbeddedRelayStatus | undefined): string | undefined {
  if (!list) return i18n.t('servers:block.connecting');
  const server = activeServer(list);
  if (!server) return i18n.t('servers:block.noServer');
  if (server.kind === 'embedded' && relay && (!relay.enabled || relay.state === 'stopped'))
    return i18n.t('servers:block.relayOff');
  if (server.kind === 'embedded' && relay && relay.state === 'crashed') return i18n.t('servers:block.relayCrashed');
  if (server.health.state === 'unreachable')
    return `${server.name} cannot be reached${server.health.error ? ` (${server.health.error})` : ''}. Choose another server or try again.`;
  if (server.health.nodeCount === 0)
    return i18n.t('servers:block.noNode', { server: server.name });
  return undefined;
}

export const useServers = create<ServersState>()((set, get) => {
  async function withBusy<T>(key: string, run: () => Promise<T>): Promise<T> {
    set((s) => ({ busy: { ...s.busy, [key]: true } }));
    try {
      return await run();
    } finally {
      set((s) => ({ busy: { ...s.busy, [key]: false } }));
    }
  }
  function patchServer(id: string, patch: (s: ServerProfile) => ServerProfile) {
    const list = get().list;
    if (!list) return;
    set({ list: { ...list, servers: list.servers.map((s) => (s.id === id ? patch(s) : s)) } });
  }
  /** A profile from a trust change, keeping the health this store already measured. */
  const patchProfile = (profile: ServerProfile) => patchServer(profile.id, (s) => ({ ...profile, health: s.health }));
  const patchHealth = (id: string, health: ServerHealth) => patchServer(id, (s) => ({ ...s, health }));
  /** Changes how node keys are trusted on a server, then says so (or why it could not). */
  async function changeTrust(serverId: string, call: () => Promise<ServerProfile>, done: string | undefined, failure: string): Promise<boolean> {
    try {
      patchProfile(await withBusy(`trust:${serverId}`, call));
      if (done) useUi.getState().announce(done);
      return true;
    } catch (e) {
      toastError(failure, e);
      return false;
    }
  }

  return {
    choice: UNKNOWN_CHOICE,
    busy: {},

    async load() {
      const [list, relay] = await Promise.allSettled([api().servers.list({}), api().relay.status({})]);
      set({
        list: list.status === 'fulfilled' ? list.value : get().list,
        relay: relay.status === 'fulfilled' ? relay.value : get().relay,
      });
    },

    async loadModels() {
      try {
        const choice = await api().chat.models({});
        set({ choice });
      } catch {
        set({ choice: UNKNOWN_CHOICE });
      }
    },

    async activate(id) {
      const before = get().list;
      if (before) set({ list: { ...before, activeId: id } });
      try {
        const list = await withBusy(`activate:${id}`, () => api().servers.activate({ id }));
        set({ list });
        const name = activeServer(list)?.name ?? 'the server';
        useUi.getState().announce(i18n.t('servers:announce.using', { server: name }));
        void get().loadModels();
        void get().probe(id);
      } catch (e) {
        if (before) set({ list: before });
        toastError(i18n.t('servers:fail.switch'), e);
      }
    },

    async add(input) {
      try {
        const profile = await api().servers.add(input);
        await get().load();
        void get().probe(profile.id);
        return profile;
      } catch (e) {
        toastError(i18n.t('servers:fail.add'), e);
        return undefined;
      }
    },

    async edit(id, input) {
      try {
        await api().servers.update({ id, ...input });
        await get().load();
        return true;
      } catch (e) {
        toastError(i18n.t('servers:fail.save'), e);
        return false;
      }
    },

    async remove(id) {
      try {
        await api().servers.remove({ id });
        await get().load();
      } catch (e) {
        toastError(i18n.t('servers:fail.remove'), e);
      }
    },

    async probe(id) {
      try {
        const health = await withBusy(`probe:${id}`, () => api().servers.probe({ id }));
        patchHealth(id, health);
        return health;
      } catch (e) {
        patchHealth(id, { state: 'unreachable', models: [], error: describeError(e) });
        return undefined;
      }
    },

    probeActive() {
      const active = activeServer(get().list);
      if (active) void get().probe(active.id);
    },

    trustNode: (serverId, fingerprint) =>
      changeTrust(serverId, () => api().servers.trustNode({ serverId, fingerprint }), i18n.t('servers:trust.done'), i18n.t('servers:fail.trust')),

    untrustNode: (serverId, fingerprint) =>
      changeTrust(
        serverId,
        () => api().servers.untrustNode({ serverId, fingerprint }),
        i18n.t('servers:trust.undone'),
        i18n.t('servers:fail.untrust'),
      ),

    setTrustPolicy: (serverId, policy) =>
      changeTrust(serverId, () => api().servers.setTrustPolicy({ serverId, policy }), undefined, i18n.t('servers:fail.policy')),

    async setRelayEnabled(enabled) {
      try {
        const relay = await withBusy('relay', () => api().relay.setEnabled({ enabled }));
        set({ relay });
        const embedded = embeddedServer(get().list);
        if (embedded) void get().probe(embedded.id);
      } catch (e) {
        toastError(i18n.t(enabled ? 'servers:fail.relayStart' : 'servers:fail.relayStop'), e);
      }
    },

    listen() {
      const stops = [api().events.servers((list) => set({ list })), api().events.relay((relay) => set({ relay }))];
      return () => stops.forEach((stop) => stop());
    },
  };
});
