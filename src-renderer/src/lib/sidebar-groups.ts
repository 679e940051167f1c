// The sidebar's layout from the conversation list and the organisation: pinned chats first, then
// each folder with its chats, then the chats at the top level — every group in the chosen order.
import type { ConversationSummary, Folder, Workspace } from '../../../src-shared/ipc/contract';
import type { ConversationSort } from '../../../src-shared/vocabulary';

export interface FolderGroup {
  folder: Folder;
  conversations: ConversationSummary[];
}

export interface SidebarGroups {
  pinned: ConversationSummary[];
  folders: FolderGroup[];
  topLevel: ConversationSummary[];
}

const byName = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

function byActivity(a: ConversationSummary, b: ConversationSummary): number {
  return b.updatedAt - a.updatedAt || b.createdAt - a.createdAt;
}

export function sortConversations(list: readonly ConversationSummary[], sort: ConversationSort): ConversationSummary[] {
  return [...list].sort(sort === 'name' ? (a, b) => byName.compare(a.title, b.title) || byActivity(a, b) : byActivity);
}

/** A folder's latest activity: its newest chat's, or when it was made while it is empty. */
function folderActivity(g: FolderGroup): number {
  return g.conversations[0]?.updatedAt ?? g.folder.createdAt;
}

export function groupConversations(summaries: readonly ConversationSummary[], workspace: Workspace): SidebarGroups {
  const { sort } = workspace;
  const byId = new Map(summaries.map((s) => [s.id, s]));
  const pinnedIds = new Set(workspace.pinned.filter((id) => byId.has(id)));
  // Pinned chats keep the order they were pinned in (latest first); sorting them would move them about.
  const pinned = workspace.pinned.filter((id) => pinnedIds.has(id)).map((id) => byId.get(id)!);
  const folderIds = new Set(workspace.folders.map((f) => f.id));
  const inFolder = new Map<string, ConversationSummary[]>();
  const topLevel: ConversationSummary[] = [];
  for (const s of summaries) {
    if (pinnedIds.has(s.id)) continue;
    const folderId = workspace.placements[s.id];
    if (folderId && folderIds.has(folderId)) (inFolder.get(folderId) ?? inFolder.set(folderId, []).get(folderId)!).push(s);
    else topLevel.push(s);
  }
  const folders = workspace.folders.map((folder) => ({ folder, conversations: sortConversations(inFolder.get(folder.id) ?? [], sort) }));
  folders.sort(sort === 'name' ? (a, b) => byName.compare(a.folder.name, b.folder.name) : (a, b) => folderActivity(b) - folderActivity(a));
  return { pinned, folders, topLevel: sortConversations(topLevel, sort) };
}

/** The chats in the order the sidebar shows them (collapsed folders' chats left out). */
export function visibleOrder(groups: SidebarGroups): ConversationSummary[] {
  return [...groups.pinned, ...groups.folders.flatMap((g) => (g.folder.collapsed ? [] : g.conversations)), ...groups.topLevel];
}
