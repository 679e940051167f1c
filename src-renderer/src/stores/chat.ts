// In-flight answers per conversation and the actions that start, stop, redo or edit them.
import { create } from 'zustand';
import type { ChatEvent, ChatFinalEvent, Message } from '../../../src-shared/ipc/contract';
import { composeUserContent, type AttachmentInput } from '../../../src-shared/read/attachments';
import type { ChatPhase } from '../../../src-shared/vocabulary';
import { api } from '../api/api';
import { describeError } from '../api/errors';
import { nextFrame } from '../lib/frame';
import { i18n } from '../i18n';
import { PHASE_LABEL } from '../lib/phases';
import { plainText } from '../lib/text';
import { useConversations } from './conversations';
import { toastError } from './feedback';
import { forgetSettled, isSettled } from './settled-answers';
import { useUi } from './ui';


/** "Finding a node…": a waiting phase as the live region reads it. */
function phaseWords(phase: ChatPhase): string {
  return i18n.t('chat:waiting.phase', { phase: i18n.t(PHASE_LABEL[phase]) });
}

export interface InFlight {
  /** Empty until the backend names the answer (the reply to send, or its first event). */
  answerId: string;
  phase: ChatPhase;
  startedAt: number;
  fraction?: number;
  generatedTokens?: number;
  stopping?: boolean;
  /** The streamed answer's authenticated text so far (§11.7); absent until the first delta. */
  text?: string;
}

/** Deltas that arrived since the last animation frame, per conversation. */
interface PendingText {
  answerId: string;
  text: string;
  /** A snapshot (§11.6) came: `text` replaces what the answer shows instead of following it. */
  replace: boolean;
}

interface ChatState {
  inFlight: Record<string, InFlight>;
  /** A request the backend refused outright (no answer message exists for it). */
  failure: Record<string, string | undefined>;
  /** `attachments` (Read): files read by the window, composed with the text by the backend (§2.3.7). */
  send(conversationId: string, content: string, attachments?: readonly AttachmentInput[]): Promise<boolean>;
  stop(conversationId: string): Promise<void>;
  regenerate(conversationId: string): Promise<void>;
  edit(conversationId: string, messageId: string, content: string): Promise<boolean>;
  /** Steer (§2.3.5): writes on from the last answer, into the same answer. */
  continueAnswer(conversationId: string, answer: Message): Promise<void>;
  handleEvent(event: ChatEvent): void;
  /** Follows the backend's chat events; returns the function that stops following them. */
  listen(): () => void;
}

const now = () => Date.now();

function pendingAnswer(id: string): Message {
  return { id, role: 'assistant', content: '', createdAt: now(), status: 'pending' };
}

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  const rest = { ...record };
  delete rest[key];
  return rest;
}

export const useChat = create<ChatState>()((set, get) => {
  // Streamed text is applied once per animation frame, however many deltas arrived in between,
  // so a fast node costs one render of the growing answer per frame.
  const pendingText = new Map<string, PendingText>();
  let frameScheduled = false;

  function flushText() {
    frameScheduled = false;
    if (pendingText.size === 0) return;
    const batch = [...pendingText];
    pendingText.clear();
    set((s) => {
      const inFlight = { ...s.inFlight };
      for (const [conversationId, p] of batch) {
        const f = inFlight[conversationId];
        if (!f || (f.answerId && f.answerId !== p.answerId)) continue;
        inFlight[conversationId] = { ...f, answerId: p.answerId, phase: 'generating', text: p.replace ? p.text : (f.text ?? '') + p.text };
      }
      return { inFlight };
    });
  }

  function streamed(event: Extract<ChatEvent, { type: 'delta' }>) {
    if (isSettled(event.answerId)) return;
    const f = get().inFlight[event.conversationId];
    if (f?.answerId && f.answerId !== event.answerId) return;
    const p = pendingText.get(event.conversationId);
    if (event.snapshot || !p || p.answerId !== event.answerId) {
      pendingText.set(event.conversationId, { answerId: event.answerId, text: event.text, replace: event.snapshot });
    } else {
      p.text += event.text;
    }
    if (!frameScheduled) {
      frameScheduled = true;
      nextFrame(flushText);
    }
  }

  function begin(conversationId: string) {
    set((s) => ({
      inFlight: { ...s.inFlight, [conversationId]: { answerId: '', phase: 'finding_node', startedAt: now() } },
      failure: { ...s.failure, [conversationId]: undefined },
    }));
    useUi.getState().announce(phaseWords('finding_node'));
  }

  function named(conversationId: string, answerId: string) {
    if (isSettled(answerId)) return;
    set((s) => {
      const f = s.inFlight[conversationId];
      if (!f) return {};
      return { inFlight: { ...s.inFlight, [conversationId]: { ...f, answerId } } };
    });
  }

  /** After regenerate/edit: the backend rewrote the history; re-read it and show the new answer as pending. */
  async function rewritten(conversationId: string, answerId: string) {
    named(conversationId, answerId);
    await useConversations.getState().refreshActive();
    if (!isSettled(answerId)) useConversations.getState().applyMessage(conversationId, pendingAnswer(answerId));
  }

  function refused(conversationId: string, error: unknown) {
    const text = describeError(error);
    set((s) => ({ inFlight: without(s.inFlight, conversationId), failure: { ...s.failure, [conversationId]: text } }));
    useUi.getState().announce(i18n.t('chat:composer.notSent', { reason: text }));
  }

  /** An answer ended: the stored message replaces its streamed text; only its end is announced. */
  function settle(event: ChatFinalEvent) {
    const ui = useUi.getState();
    const { conversationId, message } = event;
    if (pendingText.get(conversationId)?.answerId === message.id) pendingText.delete(conversationId);
    useConversations.getState().applyMessage(conversationId, message);
    set((s) => {
      const f = s.inFlight[conversationId];
      if (!f || (f.answerId && f.answerId !== message.id)) return {};
      return { inFlight: without(s.inFlight, conversationId) };
    });
    const active = useConversations.getState().activeId === conversationId;
    if (event.type === 'answer') {
      const text = plainText(message.content);
      ui.announce(active ? i18n.t('chat:announce.answer', { text: text.slice(0, 400) }) : i18n.t('chat:announce.elsewhere'));
    } else if (event.type === 'error') {
      ui.announce(i18n.t('chat:announce.failed', { reason: message.error?.message ?? '' }).trim());
    } else {
      ui.announce(i18n.t('chat:announce.stopped'));
    }
    void useConversations.getState().load();
  }

  return {
    inFlight: {},
    failure: {},

    async send(conversationId, content, attachments) {
      const text = content.trim();
      const files = attachments && attachments.length > 0 ? [...attachments] : undefined;
      if ((!text && !files) || get().inFlight[conversationId]) return false;
      begin(conversationId);
      try {
        const { userMessageId, answerId } = await api().chat.send({ conversationId, content: text, ...(files && { attachments: files }) });
        const conv = useConversations.getState();
        const composed = files ? composeUserContent(text, files) : { content: text, attachments: [] };
        const user: Message = { id: userMessageId, role: 'user', content: composed.content, createdAt: now(), status: 'complete', ...(files && { attachments: composed.attachments }) };
        conv.applyMessage(conversationId, user, answerId);
        if (!isSettled(answerId)) conv.applyMessage(conversationId, pendingAnswer(answerId));
        named(conversationId, answerId);
        void conv.load();
        return true;
      } catch (e) {
        refused(conversationId, e);
        return false;
      }
    },

    async stop(conversationId) {
      const f = get().inFlight[conversationId];
      if (!f) return;
      set((s) => ({ inFlight: { ...s.inFlight, [conversationId]: { ...f, stopping: true } } }));
      try {
        await api().chat.stop({ conversationId });
      } catch (e) {
        toastError(i18n.t('chat:stopFailed'), e);
      }
    },

    async regenerate(conversationId) {
      if (get().inFlight[conversationId]) return;
      begin(conversationId);
      try {
        const { answerId } = await api().chat.regenerate({ conversationId });
        await rewritten(conversationId, answerId);
      } catch (e) {
        refused(conversationId, e);
      }
    },

    async edit(conversationId, messageId, content) {
      const text = content.trim();
      if (!text || get().inFlight[conversationId]) return false;
      begin(conversationId);
      try {
        const { answerId } = await api().chat.edit({ conversationId, messageId, content: text });
        await rewritten(conversationId, answerId);
        return true;
      } catch (e) {
        refused(conversationId, e);
        return false;
      }
    },

    async continueAnswer(conversationId, answer) {
      if (get().inFlight[conversationId]) return;
      // The answer settled before; its events count again, and its text stays shown while the rest comes.
      forgetSettled(answer.id);
      set((s) => ({
        inFlight: { ...s.inFlight, [conversationId]: { answerId: answer.id, phase: 'finding_node', startedAt: now(), text: answer.content } },
        failure: { ...s.failure, [conversationId]: undefined },
      }));
      useUi.getState().announce(phaseWords('finding_node'));
      try {
        await api().chat.continue({ conversationId });
        if (!isSettled(answer.id)) await useConversations.getState().refreshActive();
      } catch (e) {
        refused(conversationId, e);
      }
    },

    handleEvent(event) {
      const ui = useUi.getState();
      if (event.type === 'status') {
        const prev = get().inFlight[event.conversationId];
        if (isSettled(event.answerId)) return;
        if (prev && prev.answerId && prev.answerId !== event.answerId) return;
        const next: InFlight = {
          answerId: event.answerId,
          phase: event.phase,
          startedAt: prev?.startedAt ?? now() - event.elapsedMs,
          fraction: event.fraction,
          generatedTokens: event.generatedTokens,
          stopping: prev?.stopping,
          text: prev?.text,
        };
        set((s) => ({ inFlight: { ...s.inFlight, [event.conversationId]: next } }));
        if (prev?.phase !== event.phase) ui.announce(phaseWords(event.phase));
        return;
      }
      if (event.type === 'delta') return streamed(event);
      settle(event);
    },

    listen: () => api().events.chat((e) => get().handleEvent(e)),
  };
});
