// A conversation is a tree of messages (every version an answer or an edit made stays), and the
// window shows one path through it: from the first message down to the active leaf. This module
// turns a tree into that path (the contract's Conversation, with each message's versions) and a
// changed path back into the tree, without ever dropping a branch; only deleteBranch removes.
import type { Conversation, ConversationTree, Message, TreeMessage } from '../../src-shared/ipc/contract';

type ParentKey = string | null;

/** Each message's children, in the order they were made (the order of `tree.messages`). */
function childrenOf(tree: ConversationTree): Map<ParentKey, TreeMessage[]> {
  const children = new Map<ParentKey, TreeMessage[]>();
  for (const m of tree.messages) {
    const siblings = children.get(m.parentId);
    if (siblings) siblings.push(m);
    else children.set(m.parentId, [m]);
  }
  return children;
}

/** The active path, first message first. A leaf that is gone falls back to the last message made. */
export function activePathOf(tree: ConversationTree): TreeMessage[] {
  const byId = new Map(tree.messages.map((m) => [m.id, m]));
  let at = tree.activeLeafId === null ? undefined : (byId.get(tree.activeLeafId) ?? tree.messages.at(-1));
  const path: TreeMessage[] = [];
  const seen = new Set<string>();
  while (at && !seen.has(at.id)) {
    seen.add(at.id);
    path.push(at);
    at = at.parentId === null ? undefined : byId.get(at.parentId);
  }
  return path.reverse();
}

const withoutParent = ({ parentId: _parentId, ...message }: TreeMessage): Message => message;

/** What the window gets: the active path as `messages`, and the versions of each of its messages. */
export function viewOf(tree: ConversationTree): Conversation {
  const { messages: _all, activeLeafId: _leaf, ...rest } = tree;
  const path = activePathOf(tree);
  const children = tree.messages.length > path.length ? childrenOf(tree) : undefined;
  const versions: Record<string, string[]> = {};
  for (const m of children ? path : []) {
    const siblings = children!.get(m.parentId) ?? [];
    if (siblings.length > 1) versions[m.id] = siblings.map((s) => s.id);
  }
  return {
    ...rest,
    messageCount: path.length,
    messages: path.map(withoutParent),
    ...(Object.keys(versions).length > 0 && { versions }),
  };
}

/**
 * The tree after its active path became `view.messages`: messages of the path are updated in
 * place (or added, in order, when new) and each follows the one before it; every message not on
 * the path stays where it was, so a replaced answer or an edited question remains a version.
 */
export function treeWithPath(tree: ConversationTree | undefined, view: Conversation): ConversationTree {
  const { messages: path, versions: _versions, ...rest } = view;
  let parentId: string | null = null;
  const onPath = new Map<string, TreeMessage>();
  for (const m of path) {
    onPath.set(m.id, { ...m, parentId });
    parentId = m.id;
  }
  const messages: TreeMessage[] = [];
  for (const m of tree?.messages ?? []) {
    const updated = onPath.get(m.id);
    messages.push(updated ?? m);
    if (updated) onPath.delete(m.id);
  }
  messages.push(...onPath.values());
  return { ...rest, messageCount: path.length, messages, activeLeafId: parentId };
}

/** The leaf under `from` (itself included) made most recently: where that branch was left. */
function latestLeafUnder(tree: ConversationTree, from: TreeMessage): TreeMessage {
  const children = childrenOf(tree);
  const position = new Map(tree.messages.map((m, i) => [m.id, i]));
  const later = (a: TreeMessage, b: TreeMessage) =>
    a.createdAt > b.createdAt || (a.createdAt === b.createdAt && (position.get(a.id) ?? 0) > (position.get(b.id) ?? 0));
  let best: TreeMessage | undefined;
  const stack = [from];
  const seen = new Set<string>();
  while (stack.length > 0) {
    const m = stack.pop()!;
    if (seen.has(m.id)) continue;
    seen.add(m.id);
    const kids = children.get(m.id);
    if (kids?.length) stack.push(...kids);
    else if (!best || later(m, best)) best = m;
  }
  return best ?? from;
}

/** The tree with the branch through `messageId` active (down to its most recent leaf); undefined when there is no such message. */
export function showBranch(tree: ConversationTree, messageId: string): ConversationTree | undefined {
  const from = tree.messages.find((m) => m.id === messageId);
  if (!from) return undefined;
  return { ...tree, activeLeafId: latestLeafUnder(tree, from).id };
}

/** `messageId` and every message after it in any branch (the ids that deleteBranch removes). */
export function branchIds(tree: ConversationTree, messageId: string): string[] {
  const children = childrenOf(tree);
  const ids = new Set<string>();
  const stack = tree.messages.filter((m) => m.id === messageId);
  while (stack.length > 0) {
    const m = stack.pop()!;
    if (ids.has(m.id)) continue;
    ids.add(m.id);
    stack.push(...(children.get(m.id) ?? []));
  }
  return [...ids];
}

/**
 * The tree without `messageId` and everything after it. When it was on the active path, the path
 * moves to a neighbouring version of it (the next one, else the previous), or ends at its parent.
 * Undefined when there is no such message.
 */
export function deleteBranch(tree: ConversationTree, messageId: string): ConversationTree | undefined {
  const target = tree.messages.find((m) => m.id === messageId);
  if (!target) return undefined;
  const gone = new Set(branchIds(tree, messageId));
  const messages = tree.messages.filter((m) => !gone.has(m.id));
  const rest: ConversationTree = { ...tree, messages };
  const wasActive = activePathOf(tree).some((m) => m.id === messageId);
  if (!wasActive) return { ...rest, messageCount: activePathOf(rest).length };
  const siblings = (childrenOf(tree).get(target.parentId) ?? []).filter((m) => m.id === messageId || !gone.has(m.id));
  const at = siblings.findIndex((m) => m.id === messageId);
  const neighbour = siblings[at + 1] ?? siblings[at - 1];
  const next = neighbour ? showBranch(rest, neighbour.id)! : { ...rest, activeLeafId: target.parentId };
  return { ...next, messageCount: activePathOf(next).length };
}

/** What makes `messages` not a tree (a shared id, a parent or an active message that is not there); undefined when it is one. */
export function treeProblem(messages: readonly { id: string; parentId: string | null }[], activeLeafId: string | null): string | undefined {
  const ids = new Set<string>();
  for (const m of messages) {
    if (ids.has(m.id)) return 'two messages share an id';
    ids.add(m.id);
  }
  if (messages.some((m) => m.parentId !== null && !ids.has(m.parentId))) return 'a message follows one that is not there';
  if (activeLeafId !== null && !ids.has(activeLeafId)) return 'the message shown last is not there';
  return undefined;
}
