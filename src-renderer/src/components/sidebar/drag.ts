// Dragging chats onto folders, the top level or the Pinned section (HTML5 drag and drop). The
// keyboard ways to the same results are the chat's "Move to folder…" and pin buttons
// (MoveToFolderDialog, ConversationItem).
import { useState, useSyncExternalStore, type DragEvent } from 'react';
import { useWorkspace } from '../../stores/workspace';

/** The drag data type that carries a conversation id (nothing else is accepted on a drop). */
export const CONVERSATION_DRAG_TYPE = 'application/x-tokenplace-conversation';

// Whether a chat is being dragged now: the Pinned section shows itself as a target meanwhile,
// even with nothing pinned yet. A drag ends with dragend on its source (dropped or not).
let dragging = false;
const listeners = new Set<() => void>();
function setDragging(value: boolean): void {
  if (dragging === value) return;
  dragging = value;
  for (const listener of [...listeners]) listener();
}
if (typeof document !== 'undefined') document.addEventListener('dragend', () => setDragging(false), true);

export function useConversationDragging(): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => dragging,
  );
}

export function startConversationDrag(e: DragEvent<HTMLElement>, conversationId: string): void {
  e.dataTransfer.setData(CONVERSATION_DRAG_TYPE, conversationId);
  e.dataTransfer.effectAllowed = 'move';
  setDragging(true);
}

const carriesConversation = (e: DragEvent<HTMLElement>) => [...e.dataTransfer.types].includes(CONVERSATION_DRAG_TYPE);

/** Props that make an element a drop target for chats; `take` gets the dropped chat's id. */
function useDropTarget(take: (conversationId: string) => void) {
  const [over, setOver] = useState(false);
  const accept = (e: DragEvent<HTMLElement>) => {
    if (!carriesConversation(e)) return;
    e.preventDefault();
    e.stopPropagation();
    e.dataTransfer.dropEffect = 'move';
    setOver(true);
  };
  return {
    over,
    dropProps: {
      onDragEnter: accept,
      onDragOver: accept,
      onDragLeave: (e: DragEvent<HTMLElement>) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false);
      },
      onDrop: (e: DragEvent<HTMLElement>) => {
        setOver(false);
        const id = e.dataTransfer.getData(CONVERSATION_DRAG_TYPE);
        if (!id) return;
        e.preventDefault();
        e.stopPropagation();
        setDragging(false);
        take(id);
      },
    },
  };
}

/** A drop target that moves chats into `folderId`, or to the top level (null). */
export function useConversationDrop(folderId: string | null) {
  const move = useWorkspace((s) => s.move);
  return useDropTarget((id) => void move(id, folderId));
}

/** A drop target that pins chats (the Pinned section). */
export function usePinDrop() {
  const setPinned = useWorkspace((s) => s.setPinned);
  return useDropTarget((id) => void setPinned(id, true));
}
