// App settings (theme, font size), the local gateway and the app's identity (version, lock state).
import { create } from 'zustand';
import type { GatewayStatus, InvokeReply, Settings } from '../../../src-shared/ipc/contract';
import { api } from '../api/api';
import { describeError } from '../api/errors';
import { useUi } from './ui';

export type AppInfo = InvokeReply<'app:info'>;

interface SettingsState {
  settings: Settings;
  gateway?: GatewayStatus;
  info?: AppInfo;
  gatewayBusy: boolean;
  load(): Promise<void>;
  update(patch: Partial<Settings>): Promise<void>;
  setGateway(enabled: boolean): Promise<void>;
  setInfo(info: AppInfo): void;
}

export const useSettings = create<SettingsState>()((set, get) => ({
  settings: { theme: 'system', fontSize: 15 },
  gatewayBusy: false,

  async load() {
    const [settings, gateway] = await Promise.allSettled([api().settings.get({}), api().gateway.status({})]);
    set({
      settings: settings.status === 'fulfilled' ? settings.value : get().settings,
      gateway: gateway.status === 'fulfilled' ? gateway.value : get().gateway,
    });
  },

  async update(patch) {
    const before = get().settings;
    set({ settings: { ...before, ...patch } });
    try {
      set({ settings: await api().settings.update(patch) });
    } catch (e) {
      set({ settings: before });
      useUi.getState().toast({ text: `Could not save the setting: ${describeError(e)}` });
    }
  },

  async setGateway(enabled) {
    set({ gatewayBusy: true });
    try {
      set({ gateway: await api().gateway.setEnabled({ enabled }), gatewayBusy: false });
    } catch (e) {
      set({ gatewayBusy: false });
      useUi.getState().toast({ text: `Could not ${enabled ? 'start' : 'stop'} the gateway: ${describeError(e)}` });
    }
  },

  setInfo: (info) => set({ info }),
}));
