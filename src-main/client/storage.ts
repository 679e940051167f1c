// Persistence seams of the client. The desktop shell plugs in encrypted implementations; the CLI
// uses the plain file below (tests: the in-memory ones in test-support/client/memory-storage.ts).
// Secrets (relay tokens) never go through JsonStorage.
import { mkdir, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../storage';

export interface JsonStorage {
  /** The last saved value, or null when nothing was saved yet. */
  load(): Promise<unknown | null>;
  save(value: unknown): Promise<void>;
}

export interface SecretStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** JSON file, written atomically (unique temp file, fsync, rename), readable only by the owner. */
export class JsonFileStorage implements JsonStorage {
  constructor(readonly path: string) {}

  async load(): Promise<unknown | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // A corrupt file is treated like a missing one so the store can start from defaults, but it
      // is kept beside the original name first: the next save must not destroy what was there.
      await rename(this.path, `${this.path}.corrupt-${Date.now()}`);
      return null;
    }
  }

  async save(value: unknown): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.path, new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`));
  }
}
