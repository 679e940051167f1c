// A cross-process lock on one model file's download, so two token.place processes that share a
// models folder (two app instances on one data folder, the app and a command-line tool) never
// write the same partial file at once. proper-lockfile makes `<file>.lock` with mkdir (atomic on
// every file system, network ones included); the holder refreshes its mtime while it downloads,
// and a lock nobody refreshed for `staleMs` (its process died or was killed) is taken over. A
// heartbeat instead of a stored pid: a pid cannot be checked from another machine or container
// sharing the folder, and a dead process's pid may belong to someone else by now.
import { lock } from 'proper-lockfile';
import { ModelLibraryError } from './errors';

export const DOWNLOAD_LOCK_SUFFIX = '.lock';
/** A lock not refreshed for this long is stale (proper-lockfile refreshes it at half of that; 2 s at least). */
export const DEFAULT_DOWNLOAD_LOCK_STALE_MS = 10_000;

export interface DownloadLockOptions {
  staleMs?: number;
  /** The lock was lost (its refresh failed, or someone took it over): the download must stop. */
  onLost(): void;
}

/** Takes the lock on the model file at `path`; resolves with its release. */
export async function lockDownload(path: string, fileName: string, options: DownloadLockOptions): Promise<() => Promise<void>> {
  const stale = options.staleMs ?? DEFAULT_DOWNLOAD_LOCK_STALE_MS;
  try {
    const release = await lock(path, {
      realpath: false,
      lockfilePath: path + DOWNLOAD_LOCK_SUFFIX,
      stale,
      retries: 0,
      onCompromised: () => options.onLost(),
    });
    return () => release().catch(() => undefined);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOCKED') throw downloadLockedError(fileName);
    throw err;
  }
}

export function downloadLockedError(fileName: string): ModelLibraryError {
  return new ModelLibraryError(
    'model_download_locked',
    `${fileName} is already being downloaded by another token.place. Let that download finish (or close the other token.place), then try again.`,
  );
}

/** Runs `work` holding the lock (removing a partial download is refused while another process downloads it). */
export async function withDownloadLock<T>(path: string, fileName: string, work: () => Promise<T>, staleMs?: number): Promise<T> {
  const release = await lockDownload(path, fileName, { ...(staleMs !== undefined && { staleMs }), onLost: () => undefined });
  try {
    return await work();
  } finally {
    await release();
  }
}
