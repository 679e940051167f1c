// Steer (issue 14): the presets ("assistants"), each server's parameter defaults, and the open
// chat's own parameters. What a chat sends is its own values over its server's defaults
// (src-shared/vocabulary/steer paramsInEffect); the backend works it out the same way.
import { create } from 'zustand';
import type { PresetList } from '../../../src-shared/ipc/contract';
import type { ModelParams, PresetInput } from '../../../src-shared/vocabulary/steer';
import { api } from '../api/api';
import { i18n } from '../i18n';
import { useConversations } from './conversations';
import { failed, toastError, type Outcome } from './feedback';
import { withSettled } from './settled-answers';
import { useUi } from './ui';

interface SteerState {
  presets?: PresetList;
  /** Parameter defaults per server id, once read. */
  serverDefaults: Record<string, ModelParams>;
  loadPresets(): Promise<void>;
  /** Creates (no id) or changes a preset; the Outcome says what happened. */
  savePreset(input: PresetInput, id?: string): Promise<Outcome>;
  duplicatePreset(id: string): Promise<void>;
  deletePreset(id: string): Promise<void>;
  setDefaultPreset(id: string | null): Promise<void>;
  /** Gives the open chat (or, with `newChat`, a new one that opens) the preset's prompt and parameters. */
  applyPreset(presetId: string, newChat?: boolean): Promise<boolean>;
  loadServerDefaults(serverId: string): Promise<void>;
  saveServerDefaults(serverId: string, params: ModelParams): Promise<Outcome>;
  /** The open chat's own parameters; null goes back to its server's defaults. */
  setChatParams(params: ModelParams | null): Promise<boolean>;
}

export const useSteer = create<SteerState>()((set, get) => ({
  serverDefaults: {},

  async loadPresets() {
    try {
      set({ presets: await api().presets.list({}) });
    } catch (e) {
      toastError(i18n.t('steer:error.load'), e);
    }
  },

  async savePreset(input, id) {
    try {
      const { list } = await api().presets.save({ ...input, ...(id !== undefined && { id }) });
      set({ presets: list });
      const text = i18n.t('steer:presets.saved', { name: input.name.trim() });
      useUi.getState().announce(text);
      return { ok: true, text };
    } catch (e) {
      return failed(e, i18n.t('steer:error.save'));
    }
  },

  async duplicatePreset(id) {
    try {
      const source = get().presets?.presets.find((p) => p.id === id);
      const name = source ? i18n.t('steer:presets.copyName', { name: presetName(source) }).slice(0, 76) : undefined;
      const { list } = await api().presets.duplicate({ id, ...(name && { name }) });
      set({ presets: list });
      useUi.getState().announce(i18n.t('steer:presets.duplicated'));
    } catch (e) {
      toastError(i18n.t('steer:error.duplicate'), e);
    }
  },

  async deletePreset(id) {
    try {
      set({ presets: await api().presets.delete({ id }) });
      useUi.getState().announce(i18n.t('steer:presets.deleted'));
    } catch (e) {
      toastError(i18n.t('steer:error.delete'), e);
    }
  },

  async setDefaultPreset(id) {
    try {
      set({ presets: await api().presets.setDefault({ id }) });
    } catch (e) {
      toastError(i18n.t('steer:error.save'), e);
    }
  },

  async applyPreset(presetId, newChat = false) {
    const conversations = useConversations.getState();
    const conversationId = newChat ? undefined : conversations.activeId;
    if (!newChat && !conversationId) return false;
    try {
      const c = await api().presets.apply({ presetId, ...(conversationId !== undefined && { conversationId }) });
      if (newChat) {
        await conversations.load();
        await useConversations.getState().open(c.id);
      } else if (useConversations.getState().activeId === c.id) useConversations.setState({ active: withSettled(c) });
      const preset = get().presets?.presets.find((p) => p.id === presetId);
      useUi.getState().announce(i18n.t('steer:presets.applied', { name: preset ? presetName(preset) : '' }));
      return true;
    } catch (e) {
      toastError(i18n.t('steer:error.apply'), e);
      return false;
    }
  },

  async loadServerDefaults(serverId) {
    try {
      const params = await api().servers.paramDefaults({ serverId });
      set((s) => ({ serverDefaults: { ...s.serverDefaults, [serverId]: params } }));
    } catch (e) {
      toastError(i18n.t('steer:error.load'), e);
    }
  },

  async saveServerDefaults(serverId, params) {
    try {
      const saved = await api().servers.setParamDefaults({ serverId, params });
      set((s) => ({ serverDefaults: { ...s.serverDefaults, [serverId]: saved } }));
      return { ok: true, text: i18n.t('steer:server.saved') };
    } catch (e) {
      return failed(e, i18n.t('steer:error.save'));
    }
  },

  async setChatParams(params) {
    const id = useConversations.getState().activeId;
    if (!id) return false;
    try {
      const c = await api().chat.params({ conversationId: id, params });
      if (useConversations.getState().activeId === id) useConversations.setState({ active: withSettled(c) });
      useUi.getState().announce(i18n.t(params === null ? 'steer:params.resetDone' : 'steer:params.savedDone'));
      return true;
    } catch (e) {
      toastError(i18n.t('steer:error.save'), e);
      return false;
    }
  },
}));

/** A preset's name as shown: built-in ones in the window's language. */
export function presetName(p: { id: string; name: string; builtIn: boolean }): string {
  return p.builtIn ? i18n.t(`steer:builtin.${p.id}`, { defaultValue: p.name }) : p.name;
}
