// The sidebar's organisation as pure changes of one Workspace value (folders, where each
// conversation sits, pins, the sort order). The backend applies them to its stored record; the
// renderer's test double applies the same ones. Nothing here touches storage.
import { AppError } from '../errors';
import type { Folder, Workspace } from '../ipc/contract';
import type { ConversationSort } from '../vocabulary';

export const EMPTY_WORKSPACE: Workspace = { folders: [], placements: {}, pinned: [], sort: 'activity' };

/** A request named a folder that is not (or no longer) there. */
export class FolderNotFoundError extends AppError {
  constructor() {
    super('folder_not_found');
  }
}

function folderIndex(w: Workspace, folderId: string): number {
  const at = w.folders.findIndex((f) => f.id === folderId);
  if (at < 0) throw new FolderNotFoundError();
  return at;
}

function withFolder(w: Workspace, folderId: string, change: (f: Folder) => Folder): Workspace {
  const at = folderIndex(w, folderId);
  const folders = [...w.folders];
  folders[at] = change(folders[at]!);
  return { ...w, folders };
}

export function createFolder(w: Workspace, folder: Omit<Folder, 'collapsed'>): Workspace {
  return { ...w, folders: [...w.folders, { ...folder, collapsed: false }] };
}

export function renameFolder(w: Workspace, folderId: string, name: string): Workspace {
  return withFolder(w, folderId, (f) => ({ ...f, name }));
}

export function setFolderCollapsed(w: Workspace, folderId: string, collapsed: boolean): Workspace {
  return withFolder(w, folderId, (f) => ({ ...f, collapsed }));
}

/** The folder goes; its conversations stay and move back to the top level. */
export function deleteFolder(w: Workspace, folderId: string): { moved: number; workspace: Workspace } {
  folderIndex(w, folderId);
  const placements: Record<string, string> = {};
  let moved = 0;
  for (const [conversationId, inFolder] of Object.entries(w.placements)) {
    if (inFolder === folderId) moved++;
    else placements[conversationId] = inFolder;
  }
  return { moved, workspace: { ...w, folders: w.folders.filter((f) => f.id !== folderId), placements } };
}

/** Into a folder, or back to the top level with `folderId` null. */
export function moveConversation(w: Workspace, conversationId: string, folderId: string | null): Workspace {
  const placements = { ...w.placements };
  if (folderId === null) delete placements[conversationId];
  else {
    folderIndex(w, folderId);
    placements[conversationId] = folderId;
  }
  return { ...w, placements };
}

export function setPinned(w: Workspace, conversationId: string, pinned: boolean): Workspace {
  const rest = w.pinned.filter((id) => id !== conversationId);
  return { ...w, pinned: pinned ? [conversationId, ...rest] : rest };
}

export function setSort(w: Workspace, sort: ConversationSort): Workspace {
  return { ...w, sort };
}

/** Drops the pins and folder places of conversations that `keep` says are gone; the same value when nothing changed. */
export function keepConversations(w: Workspace, keep: (conversationId: string) => boolean): Workspace {
  const pinned = w.pinned.filter(keep);
  const entries = Object.entries(w.placements);
  const kept = entries.filter(([id]) => keep(id));
  if (pinned.length === w.pinned.length && kept.length === entries.length) return w;
  return { ...w, pinned, placements: Object.fromEntries(kept) };
}
