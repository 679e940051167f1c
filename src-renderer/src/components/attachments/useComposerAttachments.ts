// The composer's attachments (issue 14, Read): the chips of the next message, whether its prompt
// fits the chat's context tier by the node's estimate (§2.3.1, §2.3.7) — checked before sending —
// and the drag-and-drop of files onto the composer.
import { useMemo, useState, type DragEvent } from 'react';
import type { Conversation } from '../../../../src-shared/ipc/contract';
import { DEFAULT_CONTEXT_TIER } from '../../../../src-shared/protocol/constants';
import { composeUserContent } from '../../../../src-shared/read/attachments';
import { promptFit, type PromptFit } from '../../../../src-shared/read/prompt-fit';
import { answerWithoutReasoning } from '../../../../src-shared/read/reasoning';
import { CONTEXT_TIER_NAMES, type ContextTier } from '../../../../src-shared/vocabulary';
import { readyFiles, useAttachments } from '../../stores/attachments';
import { useConversations } from '../../stores/conversations';
import { useServers } from '../../stores/servers';

export interface AttachmentFit extends PromptFit {
  /** A larger tier the server offers, where this prompt would fit. */
  larger?: ContextTier;
  /** The files' share of the estimate. */
  fileTokens: number;
}

/** What the prompt sends before the new message: as the backend builds it (earlier answers without reasoning). */
function historyTexts(c: Conversation | undefined): string[] {
  if (!c) return [];
  const texts = c.systemPrompt.trim() ? [c.systemPrompt] : [];
  for (const m of c.messages) {
    if (m.role === 'user') texts.push(m.content);
    else if (m.status === 'complete') texts.push(answerWithoutReasoning(m.content));
  }
  return texts;
}

const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');

export function useComposerAttachments(conversationId: string, typed: string) {
  const list = useAttachments((s) => s.byConversation[conversationId]);
  const conversation = useConversations((s) => (s.active?.id === conversationId ? s.active : undefined));
  const offered = useServers((s) => s.choice.contextTiers);
  const [dragging, setDragging] = useState(false);
  const ready = useMemo(() => readyFiles(list), [list]);
  const reading = (list ?? []).some((a) => a.state === 'reading');

  const fit = useMemo((): AttachmentFit | undefined => {
    if (ready.length === 0) return undefined;
    const content = composeUserContent(typed.trim(), ready);
    const texts = [...historyTexts(conversation), content.content];
    // An automatic tier is retried on the larger one when the window is exceeded (§6.4).
    const largest = [...CONTEXT_TIER_NAMES].reverse().find((t) => offered.includes(t)) ?? DEFAULT_CONTEXT_TIER;
    const tier = conversation?.contextTier ?? largest;
    const result = promptFit(tier, texts);
    const larger = result.fits ? undefined : CONTEXT_TIER_NAMES.find((t) => offered.includes(t) && t !== tier && promptFit(t, texts).fits);
    return { ...result, fileTokens: content.attachments.reduce((sum, a) => sum + a.tokens, 0), ...(larger && { larger }) };
  }, [ready, typed, conversation, offered]);

  const store = useAttachments.getState;
  const addFiles = (files: FileList | readonly File[] | null) => {
    if (files && files.length > 0) void store().add(conversationId, Array.from(files));
  };

  const dropProps = {
    onDragOver: (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
      setDragging(true);
    },
    onDragLeave: (e: DragEvent) => {
      if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
    },
    onDrop: (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      setDragging(false);
      addFiles(e.dataTransfer.files);
    },
  };

  return {
    list: list ?? [],
    ready,
    reading,
    fit,
    /** Sending waits for files still being read, and is held back when the prompt does not fit. */
    blocking: reading || (fit !== undefined && !fit.fits),
    dragging,
    dropProps,
    addFiles,
    remove: (id: string) => store().remove(conversationId, id),
    clear: () => store().clear(conversationId),
  };
}
