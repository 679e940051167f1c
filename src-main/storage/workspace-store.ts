// The sidebar's organisation (folders, placements, pins, sort) and the drafts of unsent messages,
// each in its own sealed record of the RecordStore — never in the conversation files, and never
// in the window's localStorage: drafts are plaintext prompts and are kept encrypted like them.
// Every change is written before it is answered; writes of one record run one at a time.
import { z } from 'zod';
import { DraftSchema, WorkspaceSchema, type Draft, type Workspace } from '../../src-shared/ipc/contract';
import { EMPTY_WORKSPACE } from '../../src-shared/workspace/organise';
import { NewerFileVersionError } from './errors';
import { KeyedLock } from './keyed-lock';
import type { RecordStore } from './record-store';

export const WORKSPACE_RECORD = 'workspace';
export const DRAFTS_RECORD = 'drafts';
const FORMAT_VERSION = 1;

const StoredWorkspaceSchema = z.object({ version: z.number().int().positive(), workspace: WorkspaceSchema });
const StoredDraftsSchema = z.object({ version: z.number().int().positive(), drafts: z.array(DraftSchema) });

function checkVersion(version: number, what: string): void {
  if (version > FORMAT_VERSION) throw new NewerFileVersionError(what);
}

export class WorkspaceStore {
  private readonly lock = new KeyedLock();

  private constructor(
    private readonly records: RecordStore,
    private workspace: Workspace,
    private readonly drafts: Map<string, Draft>,
  ) {}

  static async open(records: RecordStore): Promise<WorkspaceStore> {
    const stored = await records.read(WORKSPACE_RECORD, StoredWorkspaceSchema);
    if (stored) checkVersion(stored.version, 'folder list');
    const drafts = await records.read(DRAFTS_RECORD, StoredDraftsSchema);
    if (drafts) checkVersion(drafts.version, 'drafts');
    return new WorkspaceStore(records, stored?.workspace ?? EMPTY_WORKSPACE, new Map((drafts?.drafts ?? []).map((d) => [d.conversationId, d])));
  }

  current(): Workspace {
    return structuredClone(this.workspace);
  }

  /** Applies `change` to the latest organisation, stores the result and returns it (`change` may throw to refuse). */
  update<R extends { workspace: Workspace }>(change: (current: Workspace) => R): Promise<R> {
    return this.lock.run(WORKSPACE_RECORD, async () => {
      const input = this.current();
      const result = change(input);
      if (result.workspace !== input) {
        await this.records.write(WORKSPACE_RECORD, { version: FORMAT_VERSION, workspace: result.workspace });
        this.workspace = result.workspace;
      }
      return { ...result, workspace: this.current() };
    });
  }

  listDrafts(): Draft[] {
    return [...this.drafts.values()].map((d) => ({ ...d }));
  }

  /** Stores a conversation's draft; text with nothing but spaces removes it. */
  saveDraft(conversationId: string, text: string, savedAt: number): Promise<void> {
    return this.changeDrafts((drafts) => {
      const before = drafts.get(conversationId);
      if (!text.trim()) return drafts.delete(conversationId);
      if (before?.text === text) return false;
      drafts.set(conversationId, { conversationId, text, savedAt });
      return true;
    });
  }

  /** Removes the drafts of conversations that `keep` says are gone. */
  keepDrafts(keep: (conversationId: string) => boolean): Promise<void> {
    return this.changeDrafts((drafts) => {
      let changed = false;
      for (const id of [...drafts.keys()]) if (!keep(id)) changed = drafts.delete(id) || changed;
      return changed;
    });
  }

  /** Runs `change` on a copy of the drafts; when it reports a change, the copy is stored and kept. */
  private changeDrafts(change: (drafts: Map<string, Draft>) => boolean): Promise<void> {
    return this.lock.run(DRAFTS_RECORD, async () => {
      const next = new Map(this.drafts);
      if (!change(next)) return;
      await this.records.write(DRAFTS_RECORD, { version: FORMAT_VERSION, drafts: [...next.values()] });
      this.drafts.clear();
      for (const [id, d] of next) this.drafts.set(id, d);
    });
  }

  /** Resolves when every queued write has finished. */
  flush(): Promise<void> {
    return this.lock.allSettled();
  }
}
