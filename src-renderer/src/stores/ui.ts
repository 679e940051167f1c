// View state that is not data: which dialog is open, the live-region text, toasts, focus requests.
import { create } from 'zustand';

export type DialogName = 'none' | 'settings' | 'servers' | 'help' | 'system-prompt' | 'provider' | 'models' | 'steer-params' | 'presets';

export interface Toast {
  id: number;
  text: string;
  actionLabel?: string;
  action?: () => void;
}

interface UiState {
  dialog: DialogName;
  /** Text of the polite live region; `announceSeq` changes so a repeated text is read again. */
  announcement: string;
  announceSeq: number;
  toasts: Toast[];
  /** Bumped to ask the search box / composer to take focus. */
  focusSearchSeq: number;
  focusComposerSeq: number;
  /** A message the view should scroll to (from search). */
  reveal?: { conversationId: string; messageId: string; seq: number };
  openDialog(name: DialogName): void;
  closeDialog(): void;
  announce(text: string): void;
  toast(t: Omit<Toast, 'id'>, ttlMs?: number): number;
  dismissToast(id: number): void;
  focusSearch(): void;
  focusComposer(): void;
  revealMessage(conversationId: string, messageId: string): void;
}

let toastSeq = 0;

export const useUi = create<UiState>()((set, get) => ({
  dialog: 'none',
  announcement: '',
  announceSeq: 0,
  toasts: [],
  focusSearchSeq: 0,
  focusComposerSeq: 0,
  openDialog: (dialog) => set({ dialog }),
  closeDialog: () => set({ dialog: 'none' }),
  announce: (announcement) => set((s) => ({ announcement, announceSeq: s.announceSeq + 1 })),
  toast: (t, ttlMs = 8000) => {
    const id = ++toastSeq;
    set((s) => ({ toasts: [...s.toasts.slice(-3), { ...t, id }] }));
    if (ttlMs > 0) setTimeout(() => get().dismissToast(id), ttlMs);
    return id;
  },
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
  focusSearch: () => set((s) => ({ focusSearchSeq: s.focusSearchSeq + 1 })),
  focusComposer: () => set((s) => ({ focusComposerSeq: s.focusComposerSeq + 1 })),
  revealMessage: (conversationId, messageId) =>
    set((s) => ({ reveal: { conversationId, messageId, seq: (s.reveal?.seq ?? 0) + 1 } })),
}));
