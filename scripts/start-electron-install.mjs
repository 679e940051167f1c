// Runs Electron's own install step (`<electron package>/install.js`, what `require('electron')`
// and `npx install-electron` run) unchanged, with two additions for start-electron.ts, which
// reads file descriptor 3 and turns it into one paragraph:
// - the error install.js prints when it fails (`console.error(err.stack)`) goes to fd 3, not to
//   the terminal;
// - a download that fails before any answer (@electron/get uses the global fetch) is named there
//   first, with the URL and the network's reason ("fetch failed" alone says neither).
// Everything else install.js and @electron/get write reaches the terminal as usual, including
// @electron/get's progress bar.
// Usage: node start-electron-install.mjs <electron package dir>   (with fd 3 open for writing)
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { format } from 'node:util';

const ERROR_FD = 3;
const electronDir = process.argv[2];

console.error = (...args) => writeSync(ERROR_FD, `${format(...args)}\n`);

const fetch = globalThis.fetch;
globalThis.fetch = (input, init) =>
  fetch(input, init).catch((err) => {
    const why = err?.cause?.message || err?.cause?.code || err?.message;
    writeSync(ERROR_FD, `could not download ${input}: ${why}\n`);
    throw err;
  });

try {
  createRequire(import.meta.url)(join(electronDir, 'install.js'));
} catch (err) {
  console.error(err instanceof Error ? err.stack : err);
  process.exitCode = 1;
}
