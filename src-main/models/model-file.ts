// Facts about files in the models folder: safe names, the GGUF magic, SHA-256, free space.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, statfs } from 'node:fs/promises';
import { ModelLibraryError, formatBytes } from './errors';

/** Suffixes of a download in progress (never listed as models). */
export const PARTIAL_SUFFIX = '.part';
export const STATE_SUFFIX = '.download.json';

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/** A model file name: letters, digits, dot, dash, underscore; ends in .gguf; no path parts. */
export function checkModelFileName(fileName: string): string {
  if (!SAFE_NAME.test(fileName) || !fileName.toLowerCase().endsWith('.gguf') || fileName.includes('..')) {
    throw new ModelLibraryError(
      'model_file_invalid_name',
      `"${fileName.slice(0, 80)}" cannot be used as a model file name. Use letters, digits, dots, dashes or underscores, ending in .gguf.`,
    );
  }
  return fileName;
}

/** The file name a URL points at ("…/Model-Q4_K_M.gguf?download=true" → "Model-Q4_K_M.gguf"). */
export function fileNameFromUrl(url: URL): string {
  const last = decodeURIComponent(url.pathname.split('/').pop() ?? '');
  return checkModelFileName(last);
}

const GGUF_MAGIC = Buffer.from('GGUF', 'latin1');

export function startsWithGgufMagic(head: Uint8Array): boolean {
  return head.length >= GGUF_MAGIC.length && GGUF_MAGIC.equals(head.subarray(0, GGUF_MAGIC.length));
}

/** Whether the file starts with the GGUF magic bytes. */
export async function hasGgufMagic(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(GGUF_MAGIC.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return startsWithGgufMagic(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/** Feeds the file's bytes into `hash` (used to continue hashing a resumed download). */
export async function hashFileInto(hash: ReturnType<typeof createHash>, path: string, signal?: AbortSignal): Promise<number> {
  let bytes = 0;
  for await (const chunk of createReadStream(path, { signal })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return bytes;
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await hashFileInto(hash, path);
  return hash.digest('hex');
}

export type StatFs = (dir: string) => Promise<{ bavail: number | bigint; bsize: number | bigint }>;

/** Keep this much free beyond the file itself, so the disk is not filled to the last byte. */
export const FREE_SPACE_MARGIN_BYTES = 64 * 1024 * 1024;

/** Refuses before writing when the folder's disk cannot hold `neededBytes` (plus a margin). */
export async function ensureFreeSpace(dir: string, neededBytes: number, fsStat: StatFs = (d) => statfs(d)): Promise<void> {
  const s = await fsStat(dir);
  const available = Number(s.bavail) * Number(s.bsize);
  if (available < neededBytes + FREE_SPACE_MARGIN_BYTES) {
    throw new ModelLibraryError(
      'model_download_insufficient_space',
      `Not enough free disk space: the model needs ${formatBytes(neededBytes)} more, but only ${formatBytes(available)} is free. Free up space or delete a model you no longer use.`,
      { neededBytes, availableBytes: available },
    );
  }
}
