// Dragging chats onto folders (HTML5 drag and drop). The keyboard way to the same result is the
// chat's "Move to folder…" button (MoveToFolderDialog).
import { useState, type DragEvent } from 'react';
import { useWorkspace } from '../../stores/workspace';

/** The drag data type that carries a conversation id (nothing else is accepted on a drop). */
export const CONVERSATION_DRAG_TYPE = 'application/x-tokenplace-conversation';

export function startConversationDrag(e: DragEvent<HTMLElement>, conversationId: string): void {
  e.dataTransfer.setData(CONVERSATION_DRAG_TYPE, conversationId);
  e.dataTransfer.effectAllowed = 'move';
}

const carriesConversation = (e: DragEvent<HTMLElement>) => [...e.dataTransfer.types].includes(CONVERSATION_DRAG_TYPE);

/** Props that make an element a drop target for chats: into `folderId`, or the top level (null). */
export function useConversationDrop(folderId: string | null) {
  const move = useWorkspace((s) => s.move);
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
        void move(id, folderId);
      },
    },
  };
}
