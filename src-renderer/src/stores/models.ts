// The model library: curated models and the models folder with each model's state, downloads
// (start, pause, resume, cancel) and their progress, add from a URL, import, delete, and "use
// this model" on this computer's node.
import { create } from 'zustand';
import type { LibraryModel, ModelLibrary, ModelsEvent } from '../../../src-shared/ipc/contract';
import { api } from '../api/api';
import { i18n } from '../i18n';
import { failed, toastError, type Outcome } from './feedback';
import { useNode } from './node';
import { useServers } from './servers';
import { useUi } from './ui';

interface ModelsState {
  library?: ModelLibrary;
  /** File names with a request under way (their buttons wait). */
  pending: string[];
  load(): Promise<void>;
  download(fileName: string): Promise<boolean>;
  /** Shown in place by the add-from-URL form. */
  addFromUrl(url: string, sha256?: string): Promise<Outcome>;
  pause(fileName: string): Promise<void>;
  resume(fileName: string): Promise<void>;
  cancel(fileName: string): Promise<void>;
  importFile(): Promise<void>;
  remove(fileName: string): Promise<void>;
  use(fileName: string): Promise<boolean>;
  /** A download the first run started: this computer's node uses the model once it is in the folder. */
  useWhenInstalled?: string;
  /** Downloads a model and then uses it on this computer's node (the first run's offer). */
  downloadAndUse(fileName: string): Promise<boolean>;
  /** Follows the backend's library events; returns the function that stops following them. */
  listen(): () => void;
}

/** The first-run offer: the smallest curated model. */
export function smallestModel(library: ModelLibrary | undefined): LibraryModel | undefined {
  return library?.models.find((m) => m.fileName === library.smallestFileName);
}

export const useModels = create<ModelsState>()((set, get) => {
  /** Runs one request for a model: its buttons wait, its failure is a toast with the backend's words. */
  async function forModel<T>(fileName: string, failure: string, run: () => Promise<T>): Promise<T | undefined> {
    set((s) => ({ pending: [...s.pending, fileName] }));
    try {
      return await run();
    } catch (e) {
      toastError(failure, e);
      return undefined;
    } finally {
      set((s) => ({ pending: s.pending.filter((f) => f !== fileName) }));
    }
  }
  const keep = (library: ModelLibrary | undefined): boolean => {
    if (!library) return false;
    set({ library });
    return true;
  };

  return {
    pending: [],

    async load() {
      try {
        set({ library: await api().models.list({}) });
      } catch {
        // Keeps what it had; the library's events bring the next list.
      }
    },

    download: async (fileName) => keep(await forModel(fileName, i18n.t('models:fail.download'), () => api().models.download({ fileName }))),

    async addFromUrl(url, sha256) {
      try {
        set({ library: await api().models.addFromUrl({ url, ...(sha256 && { sha256 }) }) });
        return { ok: true, text: i18n.t('models:add.started') };
      } catch (e) {
        return failed(e, i18n.t('models:fail.add'));
      }
    },

    async downloadAndUse(fileName) {
      set({ useWhenInstalled: fileName });
      const started = await get().download(fileName);
      if (!started) set({ useWhenInstalled: undefined });
      return started;
    },

    pause: async (fileName) => void keep(await forModel(fileName, i18n.t('models:fail.pause'), () => api().models.pause({ fileName }))),
    resume: async (fileName) => void keep(await forModel(fileName, i18n.t('models:fail.resume'), () => api().models.resume({ fileName }))),
    cancel: async (fileName) => void keep(await forModel(fileName, i18n.t('models:fail.cancel'), () => api().models.cancel({ fileName }))),

    async importFile() {
      try {
        const { imported, library } = await api().models.import({});
        set({ library });
        if (imported) useUi.getState().announce(i18n.t('models:announce.imported', { name: imported }));
      } catch (e) {
        toastError(i18n.t('models:fail.import'), e);
      }
    },

    async remove(fileName) {
      const done = await forModel(fileName, i18n.t('models:fail.delete'), () => api().models.delete({ fileName }));
      if (!done) return;
      set({ library: done.library });
      useUi.getState().announce(i18n.t('models:announce.deleted', { name: fileName }));
    },

    async use(fileName) {
      const status = await forModel(fileName, i18n.t('models:fail.use'), () => api().models.use({ fileName }));
      if (!status) return false;
      useNode.setState({ status });
      useServers.getState().probeActive();
      void useServers.getState().loadModels();
      void get().load();
      return true;
    },

    listen: () =>
      api().events.models((event: ModelsEvent) => {
        if (event.type === 'library') {
          set({ library: event.library });
          const wanted = get().useWhenInstalled;
          const model = wanted ? event.library.models.find((m) => m.fileName === wanted) : undefined;
          if (model?.state === 'installed') {
            set({ useWhenInstalled: undefined });
            void get().use(model.fileName);
          } else if (model && model.state !== 'downloading') set({ useWhenInstalled: undefined });
          return;
        }
        const library = get().library;
        if (!library) return;
        set({
          library: {
            ...library,
            models: library.models.map((m) => (m.fileName === event.fileName ? { ...m, state: 'downloading', progress: event.progress } : m)),
          },
        });
      }),
  };
});
