// The app itself: whether this window is connected to it, what it is (version, platform, where
// its secrets are kept), unlocking those secrets, and opening links in the system browser.
import { create } from 'zustand';
import type { InvokeReply } from '../../../src-shared/ipc/contract';
import { api, hasApi } from '../api/api';
import { i18n } from '../i18n';
import { failed, type Outcome } from './feedback';

export type AppInfo = InvokeReply<'app:info'>;

interface AppState {
  info?: AppInfo;
  /** False when this window has no bridge to the app (it was opened outside token.place). */
  connected(): boolean;
  /** Reads what the app is (`app:info`). A failure is thrown: nothing else can start without it. */
  load(): Promise<AppInfo>;
  /** Unlocks secrets protected by a passphrase; on failure the text says why. */
  unlock(passphrase: string): Promise<Outcome>;
  /** Opens an http(s) link in the system browser; any other address is ignored. */
  openExternal(url: string): void;
}

export const useApp = create<AppState>()((set) => ({
  connected: () => hasApi(),

  async load() {
    const info = await api().app.info({});
    set({ info });
    return info;
  },

  async unlock(passphrase) {
    try {
      await api().app.unlock({ passphrase });
      return { ok: true, text: i18n.t('common:lock.unlocked') };
    } catch (e) {
      return failed(e);
    }
  },

  openExternal(url) {
    if (/^https?:\/\//i.test(url)) void api().shell.openExternal({ url }).catch(() => undefined);
  },
}));
