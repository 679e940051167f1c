// Files attached to a conversation's next message (issue 14, Read), per conversation: each is read
// on this computer as it is added (lib/attachments) and shown as a chip; the message takes the
// ones that were read, and they are cleared once it is sent. Plaintext stays in this window.
import { create } from 'zustand';
import { ATTACHMENT_LIMITS, type AttachmentInput } from '../../../src-shared/read/attachments';
import type { AttachmentProblem } from '../../../src-shared/vocabulary';
import { readAttachment } from '../lib/attachments/read-file';

export interface PendingAttachment {
  id: string;
  name: string;
  /** Size on disk. */
  bytes: number;
  state: 'reading' | 'ready' | 'refused';
  /** Ready: what is sent, and its estimate (§2.3.1). */
  file?: AttachmentInput;
  tokens?: number;
  /** Refused: why (the chip says it and what to do). */
  problem?: AttachmentProblem;
}

interface AttachmentsState {
  byConversation: Record<string, PendingAttachment[]>;
  /** Reads the files and adds a chip for each (resolves when all are read). */
  add(conversationId: string, files: readonly File[]): Promise<void>;
  remove(conversationId: string, id: string): void;
  clear(conversationId: string): void;
}

let seq = 0;

export const useAttachments = create<AttachmentsState>()((set, get) => {
  const change = (conversationId: string, id: string, patch: Partial<PendingAttachment>) =>
    set((s) => {
      const list = s.byConversation[conversationId];
      if (!list?.some((a) => a.id === id)) return s; // removed or sent meanwhile
      return { byConversation: { ...s.byConversation, [conversationId]: list.map((a) => (a.id === id ? { ...a, ...patch } : a)) } };
    });

  return {
    byConversation: {},

    async add(conversationId, files) {
      const added = files.map((f) => ({ source: f, chip: { id: `att-${++seq}`, name: f.name, bytes: f.size, state: 'reading' as const } }));
      set((s) => ({ byConversation: { ...s.byConversation, [conversationId]: [...(s.byConversation[conversationId] ?? []), ...added.map((a) => a.chip)] } }));
      await Promise.all(
        added.map(async ({ source, chip }) => {
          const result = await readAttachment(source);
          if (!result.ok) return change(conversationId, chip.id, { state: 'refused', problem: result.problem });
          const kept = (get().byConversation[conversationId] ?? []).filter((a) => a.state === 'ready').length;
          if (kept >= ATTACHMENT_LIMITS.maxFiles) return change(conversationId, chip.id, { state: 'refused', problem: 'too_many' });
          change(conversationId, chip.id, { state: 'ready', file: result.file, tokens: result.tokens });
        }),
      );
    },

    remove(conversationId, id) {
      set((s) => ({ byConversation: { ...s.byConversation, [conversationId]: (s.byConversation[conversationId] ?? []).filter((a) => a.id !== id) } }));
    },

    clear(conversationId) {
      set((s) => {
        const rest = { ...s.byConversation };
        delete rest[conversationId];
        return { byConversation: rest };
      });
    },
  };
});

/** The files of a list that are read and go with the message. */
export function readyFiles(list: readonly PendingAttachment[] | undefined): AttachmentInput[] {
  return (list ?? []).flatMap((a) => (a.state === 'ready' && a.file ? [a.file] : []));
}
