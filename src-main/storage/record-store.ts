// Small sealed JSON records (settings, server profiles, node config): one file each, replaced
// atomically. Reading validates with the caller's schema.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { removeTempFiles, writeFileAtomic } from './atomic-write';
import { TamperedDataError } from './errors';
import { readFileIfExists } from './read-if-exists';
import { sealJson, unsealJson } from './sealed-box';

const RECORD_NAME = /^[a-z][a-z0-9-]{0,63}$/;

export class RecordStore {
  private constructor(
    private readonly dir: string,
    private readonly key: Buffer,
  ) {}

  static async open(dir: string, key: Buffer): Promise<RecordStore> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await removeTempFiles(dir);
    return new RecordStore(dir, key);
  }

  private path(name: string): string {
    if (!RECORD_NAME.test(name)) throw new RangeError(`Bad record name: ${name}`);
    return join(this.dir, `${name}.enc`);
  }

  /** The stored record, or null when none was written yet. */
  async read<S extends z.ZodType>(name: string, schema: S): Promise<z.output<S> | null> {
    const sealed = await readFileIfExists(this.path(name));
    if (sealed === null) return null;
    const parsed = schema.safeParse(unsealJson(this.key, `record:${name}`, sealed, name));
    if (!parsed.success) throw new TamperedDataError(name);
    return parsed.data;
  }

  async write(name: string, value: unknown): Promise<void> {
    await writeFileAtomic(this.path(name), sealJson(this.key, `record:${name}`, value));
  }
}
