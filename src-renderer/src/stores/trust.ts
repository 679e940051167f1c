// Questions about node keys (docs/client.md "Node keys and trust"): a server offered a key not
// trusted there, and the backend holds the prompt until the user answers here.
import { create } from 'zustand';
import type { NodeConfirmation, TrustEvent } from '../../../src-shared/ipc/contract';
import type { NodeConfirmationDecision } from '../../../src-shared/vocabulary';
import { api } from '../api/api';
import { i18n } from '../i18n';
import { toastError } from './feedback';
import { useUi } from './ui';

interface TrustState {
  /** Waiting questions, oldest first; the window shows the first. */
  pending: NodeConfirmation[];
  answering: boolean;
  load(): Promise<void>;
  /** Follows `events:trust`; returns the unsubscribe. */
  listen(): () => void;
  handleEvent(event: TrustEvent): void;
  answer(id: string, decision: NodeConfirmationDecision): Promise<void>;
}

const SAID: Record<NodeConfirmationDecision, string> = {
  trust: 'servers:answer.trust',
  'trust-any-node': 'servers:answer.trust-any-node',
  refuse: 'servers:answer.refuse',
};

export const useTrust = create<TrustState>()((set, get) => ({
  pending: [],
  answering: false,

  async load() {
    const pending = await api().trust.pending({});
    set({ pending });
  },

  listen: () => api().events.trust((e) => get().handleEvent(e)),

  handleEvent(event) {
    if (event.type === 'ask') {
      if (get().pending.some((c) => c.id === event.confirmation.id)) return;
      set((s) => ({ pending: [...s.pending, event.confirmation] }));
    } else {
      set((s) => ({ pending: s.pending.filter((c) => c.id !== event.id) }));
    }
  },

  async answer(id, decision) {
    set({ answering: true });
    try {
      await api().trust.answer({ id, decision });
      useUi.getState().announce(i18n.t(SAID[decision]));
    } catch (e) {
      toastError(i18n.t('servers:fail.answer'), e);
    } finally {
      // Answered or already settled elsewhere: either way the question is gone.
      set((s) => ({ answering: false, pending: s.pending.filter((c) => c.id !== id) }));
    }
  },
}));
