// The whole conversation history at once: export it to a file, import one, delete everything.
// The Conversations panel shows each result in its status line, so these return an Outcome.
import { create } from 'zustand';
import type { TransferFormat } from '../../../src-shared/vocabulary';
import { api } from '../api/api';
import { downloadText, formatOfFile } from '../lib/files';
import { plural } from '../lib/text';
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
      return { ok: true, text: `Exported as ${out.filename}.` };
    } catch (e) {
      return failed(e, 'Export failed');
    }
  },

  async importFile(file) {
    const format = formatOfFile(file.name);
    if (!format) return { ok: false, text: 'Choose a .json or .md file exported from token.place.' };
    try {
      const { imported } = await api().conversations.import({ format, content: await file.text() });
      await useConversations.getState().load();
      useUi.getState().announce(`Imported ${imported} conversations.`);
      return { ok: true, text: `Imported ${plural(imported, 'conversation')}.` };
    } catch (e) {
      return failed(e, 'Import failed');
    }
  },

  async deleteAll() {
    try {
      for (const id of Object.keys(useChat.getState().inFlight)) await useChat.getState().stop(id);
      await api().conversations.clear({ confirm: true });
      useConversations.getState().clearAll();
      return { ok: true, text: 'All conversations were deleted.' };
    } catch (e) {
      return failed(e, 'Could not clear the history');
    }
  },
}));
