// Crash-safe file replacement: write a unique temp file, fsync it, rename it over the target,
// fsync the directory. A kill -9 at any point leaves either the old or the new file, never a
// torn one; leftover temp files are removed by removeTempFiles() on the next open.
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const TEMP_MARK = '.tmp-';

export interface AtomicWriteOptions {
  /** Skip fsync (bulk imports into a fresh directory, benchmarks). Default true. */
  durable?: boolean;
}

export async function writeFileAtomic(path: string, data: Uint8Array, opts: AtomicWriteOptions = {}): Promise<void> {
  const durable = opts.durable ?? true;
  const temp = join(dirname(path), `${basename(path)}${TEMP_MARK}${randomBytes(6).toString('hex')}`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(data);
    if (durable) await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temp, path);
  if (durable) await syncDirectory(dirname(path));
}

export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic there.
  } finally {
    await handle.close();
  }
}

export function isTempFile(name: string): boolean {
  return name.includes(TEMP_MARK);
}

/** Deletes temp files a crash left behind in `dir`. */
export async function removeTempFiles(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter(isTempFile).map((name) => rm(join(dir, name), { force: true })));
}
