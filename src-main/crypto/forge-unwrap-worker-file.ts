// Where the unwrap worker's script is. electron-vite emits it as its own entry next to the other
// main-process entries (out/main/forge-unwrap-worker.js, vite.config.ts) while code shared by
// several entries — this file included — lands in out/main/chunks/; so the bundled script is
// looked for beside this file and one folder up. Unbundled (tsx, vitest) the TypeScript source
// beside this file runs through tsx's CommonJS hook, which the worker registers for itself.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const BUNDLED_WORKER_FILE = 'forge-unwrap-worker.js';
export const SOURCE_WORKER_FILE = 'forge-unwrap-worker.ts';

/** What `new Worker(code, { eval })` runs. */
export interface WorkerScript {
  code: string;
  eval: boolean;
}

export function locateUnwrapWorker(here: string = __dirname): WorkerScript {
  for (const dir of [here, dirname(here)]) {
    const bundled = join(dir, BUNDLED_WORKER_FILE);
    if (existsSync(bundled)) return { code: bundled, eval: false };
  }
  const source = join(here, SOURCE_WORKER_FILE);
  if (!existsSync(source)) {
    throw new Error(`The decryption worker script is missing: neither ${BUNDLED_WORKER_FILE} nor ${SOURCE_WORKER_FILE} is beside ${here}.`);
  }
  const tsx = createRequire(source).resolve('tsx/cjs');
  return { code: `require(${JSON.stringify(tsx)});\nrequire(${JSON.stringify(source)});\n`, eval: true };
}
