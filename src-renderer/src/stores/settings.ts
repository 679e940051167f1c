// App settings (theme, font size, language) and the local OpenAI-compatible gateway.
import { create } from 'zustand';
import type { GatewayStatus, Settings } from '../../../src-shared/ipc/contract';
import { api } from '../api/api';
import { i18n } from '../i18n';
import { toastError } from './feedback';

interface SettingsState {
  settings: Settings;
  gateway?: GatewayStatus;
  gatewayBusy: boolean;
  load(): Promise<void>;
  update(patch: Partial<Settings>): Promise<void>;
  setGateway(enabled: boolean): Promise<void>;
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
      toastError(i18n.t('settings:saveFailed'), e);
    }
  },

  async setGateway(enabled) {
    set({ gatewayBusy: true });
    try {
      set({ gateway: await api().gateway.setEnabled({ enabled }), gatewayBusy: false });
    } catch (e) {
      set({ gatewayBusy: false });
      toastError(i18n.t(enabled ? 'settings:gateway.startFailed' : 'settings:gateway.stopFailed'), e);
    }
  },
}));
