// The whole conversation history at once: export it to a file, import one, delete everything.
// The Conversations panel shows each result in its status line, so these return an Outcome.
import { create } from 'zustand';
import type { TransferFormat } from '../../../src-shared/vocabulary';
import { api } from '../api/api';
import { downloadText, formatOfFile } from '../lib/files';
import { i18n } from '../i18n';
import { useChat } from './chat';
import { useConversations } from './conversations';
import { failed, type Outcome } from './feedback';
import { useUi } from './ui';

interface HistoryState {
  /** Exports every conversation and saves the file through the browser's download. */
  exportAs(format: TransferFormat): Promise<Outcome>;
  /** Imports a file exported from token.place (.json or .md) and reloads the list. */
  importFile(file: File): Promise<Outcome>;
  /** Stops every answer in flight, then deletes every conversation on this computer. */
  deleteAll(): Promise<Outcome>;
}

export const useHistory = create<HistoryState>()(() => ({
  async exportAs(format) {
    try {
      const out = await api().conversations.export({ format });
      downloadText(out.filename, out.mimeType, out.content);
      return { ok: true, text: i18n.t('settings:history.exported', { filename: out.filename }) };
    } catch (e) {
      return failed(e, i18n.t('settings:history.exportFailed'));
    }
  },

  async importFile(file) {
    const format = formatOfFile(file.name);
    if (!format) return { ok: false, text: i18n.t('settings:history.wrongFile') };
    try {
      const { imported } = await api().conversations.import({ format, content: await file.text() });
      await useConversations.getState().load();
      const text = i18n.t('settings:history.imported', { count: imported });
      useUi.getState().announce(text);
      return { ok: true, text };
    } catch (e) {
      return failed(e, i18n.t('settings:history.importFailed'));
    }
  },

  async deleteAll() {
    try {
      for (const id of Object.keys(useChat.getState().inFlight)) await useChat.getState().stop(id);
      await api().conversations.clear({ confirm: true });
      useConversations.getState().clearAll();
      return { ok: true, text: i18n.t('settings:history.cleared') };
    } catch (e) {
      return failed(e, i18n.t('settings:history.clearFailed'));
    }
  },
}));
