// Relay servers, the embedded relay, this app's compute node and the models the active server offers.
import { create } from 'zustand';
import type {
  EmbeddedRelayStatus,
  InvokeReply,
  LocalNodeConfig,
  LocalNodeStatus,
  ServerHealth,
  ServerInput,
  ServerList,
  ServerProfile,
} from '../../../src-shared/ipc/contract';
import type { PinMode } from '../../../src-shared/vocabulary';
import { api } from '../api/api';
import { describeError } from '../api/errors';
import { useUi } from './ui';

export type DetectedProvider = InvokeReply<'node:detect'>[number];
export type ModelChoice = InvokeReply<'chat:models'>;

/** Before the active server answers `chat:models` (or when it cannot): no models, every tier. */
const UNKNOWN_CHOICE: ModelChoice = { models: [], contextTiers: ['8k-fast', '64k-full'] };

interface ServersState {
  list?: ServerList;
  relay?: EmbeddedRelayStatus;
  node?: LocalNodeStatus;
  detected?: DetectedProvider[];
  detecting: boolean;
  choice: ModelChoice;
  busy: Record<string, boolean>;
  load(): Promise<void>;
  loadModels(): Promise<void>;
  activate(id: string): Promise<void>;
  add(input: ServerInput): Promise<ServerProfile | undefined>;
  edit(id: string, input: Partial<ServerInput>): Promise<boolean>;
  remove(id: string): Promise<void>;
  probe(id: string): Promise<ServerHealth | undefined>;
  /** Pins `fingerprint` as this server's trusted node key (replacing an earlier pin). */
  pinNode(serverId: string, fingerprint: string, mode?: PinMode): Promise<boolean>;
  unpinNode(serverId: string, fingerprint: string): Promise<boolean>;
  setRelayEnabled(enabled: boolean): Promise<void>;
  configureNode(config: LocalNodeConfig): Promise<boolean>;
  startNode(): Promise<void>;
  stopNode(): Promise<void>;
  detect(): Promise<void>;
  setList(list: ServerList): void;
  setRelay(relay: EmbeddedRelayStatus): void;
  setNode(node: LocalNodeStatus): void;
}

export function activeServer(list: ServerList | undefined): ServerProfile | undefined {
  return list?.servers.find((s) => s.id === list.activeId);
}

/** Why sending cannot work right now, in plain words; undefined when it can. */
export function sendBlockReason(list: ServerList | undefined, relay: EmbeddedRelayStatus | undefined): string | undefined {
  if (!list) return 'Connecting to the app…';
  const server = activeServer(list);
  if (!server) return 'Choose a server in the server menu to start chatting.';
  if (server.kind === 'embedded' && relay && (!relay.enabled || relay.state === 'stopped'))
    return 'The built-in relay is off. Turn it on in Servers to chat.';
  if (server.kind === 'embedded' && relay && relay.state === 'crashed') return 'The built-in relay stopped working; it is restarting.';
  if (server.health.state === 'unreachable')
    return `${server.name} cannot be reached${server.health.error ? ` (${server.health.error})` : ''}. Choose another server or try again.`;
  if (server.health.nodeCount === 0)
    return `No compute node is online at ${server.name}. Start this app’s node in Servers, or choose another server.`;
  return undefined;
}

const toastError = (what: string, e: unknown) => useUi.getState().toast({ text: `${what}: ${describeError(e)}` });

export const useServers = create<ServersState>()((set, get) => {
  async function withBusy<T>(key: string, run: () => Promise<T>): Promise<T> {
    set((s) => ({ busy: { ...s.busy, [key]: true } }));
    try {
      return await run();
    } finally {
      set((s) => ({ busy: { ...s.busy, [key]: false } }));
    }
  }
  function patchProfile(profile: ServerProfile) {
    const list = get().list;
    if (!list) return;
    set({ list: { ...list, servers: list.servers.map((s) => (s.id === profile.id ? { ...profile, health: s.health } : s)) } });
  }
  function patchHealth(id: string, health: ServerHealth) {
    const list = get().list;
    if (!list) return;
    set({ list: { ...list, servers: list.servers.map((s) => (s.id === id ? { ...s, health } : s)) } });
  }

  return {
    detecting: false,
    choice: UNKNOWN_CHOICE,
    busy: {},

    async load() {
      const [list, relay, node] = await Promise.allSettled([api().servers.list({}), api().relay.status({}), api().node.status({})]);
      set({
        list: list.status === 'fulfilled' ? list.value : get().list,
        relay: relay.status === 'fulfilled' ? relay.value : get().relay,
        node: node.status === 'fulfilled' ? node.value : get().node,
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
        useUi.getState().announce(`Now using ${name}.`);
        void get().loadModels();
        void get().probe(id);
      } catch (e) {
        if (before) set({ list: before });
        toastError('Could not switch server', e);
      }
    },

    async add(input) {
      try {
        const profile = await api().servers.add(input);
        await get().load();
        void get().probe(profile.id);
        return profile;
      } catch (e) {
        toastError('Could not add the server', e);
        return undefined;
      }
    },

    async edit(id, input) {
      try {
        await api().servers.update({ id, ...input });
        await get().load();
        return true;
      } catch (e) {
        toastError('Could not save the server', e);
        return false;
      }
    },

    async remove(id) {
      try {
        await api().servers.remove({ id });
        await get().load();
      } catch (e) {
        toastError('Could not remove the server', e);
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

    async pinNode(serverId, fingerprint, mode = 'warn') {
      try {
        const profile = await withBusy(`pin:${serverId}`, () => api().servers.pinNode({ serverId, fingerprint, mode }));
        patchProfile(profile);
        useUi.getState().announce(mode === 'require' ? 'Node pinned. Other node keys will be refused on this server.' : 'Node pinned. You will be warned if its key changes.');
        return true;
      } catch (e) {
        toastError('Could not pin the node', e);
        return false;
      }
    },

    async unpinNode(serverId, fingerprint) {
      try {
        const profile = await withBusy(`pin:${serverId}`, () => api().servers.unpinNode({ serverId, fingerprint }));
        patchProfile(profile);
        useUi.getState().announce('Node unpinned.');
        return true;
      } catch (e) {
        toastError('Could not unpin the node', e);
        return false;
      }
    },

    async setRelayEnabled(enabled) {
      try {
        const relay = await withBusy('relay', () => api().relay.setEnabled({ enabled }));
        set({ relay });
        const embedded = get().list?.servers.find((s) => s.kind === 'embedded');
        if (embedded) void get().probe(embedded.id);
      } catch (e) {
        toastError(enabled ? 'Could not start the built-in relay' : 'Could not stop the built-in relay', e);
      }
    },

    async configureNode(config) {
      try {
        const node = await withBusy('node', () => api().node.configure(config));
        set({ node });
        return true;
      } catch (e) {
        toastError('Could not save the node settings', e);
        return false;
      }
    },

    async startNode() {
      try {
        const node = await withBusy('node', () => api().node.start({}));
        set({ node });
        const active = activeServer(get().list);
        if (active) void get().probe(active.id);
        void get().loadModels();
      } catch (e) {
        toastError('Could not start the node', e);
      }
    },

    async stopNode() {
      try {
        const node = await withBusy('node', () => api().node.stop({}));
        set({ node });
        const active = activeServer(get().list);
        if (active) void get().probe(active.id);
      } catch (e) {
        toastError('Could not stop the node', e);
      }
    },

    async detect() {
      set({ detecting: true });
      try {
        set({ detected: await api().node.detect({}), detecting: false });
      } catch {
        set({ detected: [], detecting: false });
      }
    },

    setList: (list) => set({ list }),
    setRelay: (relay) => set({ relay }),
    setNode: (node) => set({ node }),
  };
});
