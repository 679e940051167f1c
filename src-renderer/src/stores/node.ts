// This computer's compute node: its status, its model provider (configure, start, stop) and the
// local model servers found on this computer.
import { create } from 'zustand';
import type { InvokeReply, LocalNodeConfig, LocalNodeStatus } from '../../../src-shared/ipc/contract';
import { api } from '../api/api';
import { i18n } from '../i18n';
import { toastError } from './feedback';
import { activeServer, useServers } from './servers';

export type DetectedProvider = InvokeReply<'node:detect'>[number];

interface NodeState {
  status?: LocalNodeStatus;
  /** A configure, start or stop is under way. */
  busy: boolean;
  detected?: DetectedProvider[];
  detecting: boolean;
  load(): Promise<void>;
  configure(config: LocalNodeConfig): Promise<boolean>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Configures the node and, when that worked, starts it; false when the configuration was refused. */
  setUp(config: LocalNodeConfig): Promise<boolean>;
  detect(): Promise<void>;
  /** Follows the backend's node events; returns the function that stops following them. */
  listen(): () => void;
}

export const useNode = create<NodeState>()((set, get) => {
  async function withBusy<T>(run: () => Promise<T>): Promise<T> {
    set({ busy: true });
    try {
      return await run();
    } finally {
      set({ busy: false });
    }
  }

  return {
    busy: false,
    detecting: false,

    async load() {
      try {
        set({ status: await api().node.status({}) });
      } catch {
        // Keeps what it had; the node's events bring the next status.
      }
    },

    async configure(config) {
      try {
        set({ status: await withBusy(() => api().node.configure(config)) });
        return true;
      } catch (e) {
        toastError(i18n.t('node:fail.save'), e);
        return false;
      }
    },

    async start() {
      try {
        set({ status: await withBusy(() => api().node.start({})) });
        useServers.getState().probeActive();
        void useServers.getState().loadModels();
      } catch (e) {
        toastError(i18n.t('node:fail.start'), e);
      }
    },

    async stop() {
      try {
        set({ status: await withBusy(() => api().node.stop({})) });
        useServers.getState().probeActive();
      } catch (e) {
        toastError(i18n.t('node:fail.stop'), e);
      }
    },

    async setUp(config) {
      if (!(await get().configure(config))) return false;
      await get().start();
      return true;
    },

    async detect() {
      set({ detecting: true });
      try {
        set({ detected: await api().node.detect({}), detecting: false });
      } catch {
        set({ detected: [], detecting: false });
      }
    },

    listen: () =>
      api().events.node((status) => {
        const before = get().status?.state;
        set({ status });
        // The built-in relay's health follows its own node: check it again when the node's state changes.
        if (before === status.state) return;
        const active = activeServer(useServers.getState().list);
        if (active?.kind === 'embedded') void useServers.getState().probe(active.id);
      }),
  };
});
