// The conversation tree and the path the window shows: a changed path never drops a branch,
// versions are the siblings of a message, showing a version goes to where its branch was left.
import { describe, expect, it } from 'vitest';
import type { Conversation, ConversationTree, Message } from '../../src-shared/ipc/contract';
import { activePathOf, branchIds, deleteBranch, showBranch, treeWithPath, viewOf } from './conversation-tree';

let clock = 0;
const user = (id: string, content = id): Message => ({ id, role: 'user', content, createdAt: ++clock, status: 'complete' });
const answer = (id: string, content = id): Message => ({ id, role: 'assistant', content, createdAt: ++clock, status: 'complete' });
const base = { id: 'c', title: 't', createdAt: 0, updatedAt: 0, systemPrompt: '' };
const view = (messages: Message[]): Conversation => ({ ...base, messageCount: messages.length, messages });
const ids = (c: Conversation | ConversationTree) => c.messages.map((m) => m.id);

/** q1 → a1; then "Regenerate" (a1 replaced by a2); then q2 → a3 under a2. */
function regenerated(): ConversationTree {
  const [q1, a1, a2, q2, a3] = [user('q1'), answer('a1'), answer('a2'), user('q2'), answer('a3')];
  let tree = treeWithPath(undefined, view([q1, a1]));
  tree = treeWithPath(tree, view([q1, a2]));
  return treeWithPath(tree, view([q1, a2, q2, a3]));
}

describe('the conversation tree', () => {
  it('a list becomes one path, and its view is the list again with no versions', () => {
    const list = [user('q1'), answer('a1'), user('q2'), answer('a2')];
    const tree = treeWithPath(undefined, view(list));
    expect(tree.messages.map((m) => m.parentId)).toEqual([null, 'q1', 'a1', 'q2']);
    expect(tree.activeLeafId).toBe('a2');
    expect(viewOf(tree)).toEqual(view(list));
    expect(viewOf(tree)).not.toHaveProperty('versions');
  });

  it('a replaced answer stays as a version of the new one', () => {
    const tree = regenerated();
    expect(ids(tree)).toEqual(['q1', 'a1', 'a2', 'q2', 'a3']);
    const shown = viewOf(tree);
    expect(ids(shown)).toEqual(['q1', 'a2', 'q2', 'a3']);
    expect(shown.versions).toEqual({ a2: ['a1', 'a2'] });
    expect(shown.messageCount).toBe(4);
  });

  it('showing an older version goes down its own branch; the newer one comes back where it was left', () => {
    const tree = regenerated();
    const older = showBranch(tree, 'a1')!;
    expect(ids(viewOf(older))).toEqual(['q1', 'a1']);
    expect(viewOf(older).versions).toEqual({ a1: ['a1', 'a2'] });
    expect(ids(viewOf(showBranch(older, 'a2')!))).toEqual(['q1', 'a2', 'q2', 'a3']);
    expect(showBranch(tree, 'nope')).toBeUndefined();
  });

  it('an edited question is a new version beside the old one, which keeps what followed it', () => {
    let tree = regenerated();
    const edited = user('q2b', 'asked again');
    tree = treeWithPath(tree, view([...viewOf(tree).messages.slice(0, 2), edited, answer('a4')]));
    expect(ids(viewOf(tree))).toEqual(['q1', 'a2', 'q2b', 'a4']);
    expect(viewOf(tree).versions).toEqual({ a2: ['a1', 'a2'], q2b: ['q2', 'q2b'] });
    expect(ids(viewOf(showBranch(tree, 'q2')!))).toEqual(['q1', 'a2', 'q2', 'a3']);
  });

  it('deleting a message removes everything after it in every branch; the path moves to a neighbouring version', () => {
    const tree = regenerated();
    expect(branchIds(tree, 'a2').sort()).toEqual(['a2', 'a3', 'q2']);
    const rest = deleteBranch(tree, 'a2')!;
    expect(ids(rest)).toEqual(['q1', 'a1']);
    expect(ids(viewOf(rest))).toEqual(['q1', 'a1']);
    expect(viewOf(rest).versions).toBeUndefined();
    expect(rest.messageCount).toBe(2);
  });

  it('deleting the only answer ends the path at its question; deleting the first question empties the chat', () => {
    const tree = treeWithPath(undefined, view([user('q1'), answer('a1')]));
    expect(ids(viewOf(deleteBranch(tree, 'a1')!))).toEqual(['q1']);
    const empty = deleteBranch(tree, 'q1')!;
    expect(empty.messages).toEqual([]);
    expect(empty.activeLeafId).toBeNull();
    expect(viewOf(empty).messages).toEqual([]);
    expect(deleteBranch(tree, 'nope')).toBeUndefined();
  });

  it('deleting a version that is not shown leaves the path as it was', () => {
    const rest = deleteBranch(regenerated(), 'a1')!;
    expect(ids(viewOf(rest))).toEqual(['q1', 'a2', 'q2', 'a3']);
    expect(viewOf(rest).versions).toBeUndefined();
  });

  it('a path whose leaf is gone falls back to the last message made; a cycle does not hang', () => {
    const tree = regenerated();
    expect(activePathOf({ ...tree, activeLeafId: 'gone' }).map((m) => m.id)).toEqual(['q1', 'a2', 'q2', 'a3']);
    const looped: ConversationTree = { ...tree, messages: tree.messages.map((m) => (m.id === 'q1' ? { ...m, parentId: 'a3' } : m)) };
    expect(activePathOf(looped).map((m) => m.id)).toEqual(['q1', 'a2', 'q2', 'a3']);
  });
});
