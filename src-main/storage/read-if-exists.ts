import { readFile } from 'node:fs/promises';

/** The file's bytes, or null when it does not exist (any other failure is thrown). */
export async function readFileIfExists(path: string): Promise<Buffer | null> {
  return readFile(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
}
