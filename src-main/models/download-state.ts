// The small state file beside a partial download: what is being fetched and the validators that
// let a later process (after a pause, a crash or a kill) continue it with an HTTP range request.
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { z } from 'zod';

const STATE_VERSION = 1;

const stateSchema = z.object({
  version: z.literal(STATE_VERSION),
  url: z.string(),
  sha256: z.string().optional(),
  totalBytes: z.number().int().nonnegative().optional(),
  /** A strong ETag or Last-Modified date for If-Range: a changed file is sent whole again. */
  validator: z.string().optional(),
  rangeSupported: z.boolean(),
});
export type DownloadState = z.infer<typeof stateSchema>;

export function newDownloadState(fields: Omit<DownloadState, 'version'>): DownloadState {
  return { version: STATE_VERSION, ...fields };
}

/** The saved state, or undefined when there is none or it is unreadable (start over then). */
export async function readDownloadState(path: string): Promise<DownloadState | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = stateSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Written whole through a temporary file: a kill never leaves half a state file. */
export async function writeDownloadState(path: string, state: DownloadState): Promise<void> {
  const temp = `${path}.tmp`;
  await writeFile(temp, JSON.stringify(state));
  await rename(temp, path);
}

export async function removeDownloadState(path: string): Promise<void> {
  await rm(path, { force: true });
  await rm(`${path}.tmp`, { force: true });
}
