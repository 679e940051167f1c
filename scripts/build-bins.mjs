// Builds the command-line tools (bin/tokenplace-*.js) to plain JavaScript in out/bin/, so they run
// without compiling TypeScript at every start: one CommonJS file per CLI entry, plus the RSA unwrap
// worker the crypto layer looks for beside them (src-main/crypto/forge-unwrap-worker-file.ts).
// Packages stay external (node_modules is loaded as is: node-llama-cpp, ioredis, fastify, …).
// `npm run build` runs it; bin/launch.js runs it when a built file is missing or older than its
// sources (a checkout after an edit or a pull). Each file is written beside its place and renamed
// into it, so tools started at the same moment never load a half-written file.
//   node scripts/build-bins.mjs
import { mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'out', 'bin');

/** Output name (out/bin/<name>.js) → source. The bins name their entry as `<layer>/<file>`. */
export const BIN_ENTRIES = {
  'relay-cli': 'src-main/relay/cli.ts',
  'node-cli': 'src-main/node/cli.ts',
  'client-cli': 'src-main/client/cli.ts',
  'client-gateway-cli': 'src-main/client/gateway-cli.ts',
  'forge-unwrap-worker': 'src-main/crypto/forge-unwrap-worker.ts',
};

/** What bin/launch.js reads to tell whether the build is older than its sources. */
export const BUILD_INFO = 'build-info.json';

export async function buildBins() {
  const started = Date.now();
  const result = await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(BIN_ENTRIES).map(([name, source]) => [name, join(root, source)])),
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20.19',
    packages: 'external',
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  mkdirSync(outDir, { recursive: true });
  const tmp = `.${process.pid}.tmp`;
  for (const file of result.outputFiles) {
    writeFileSync(file.path + tmp, file.contents);
    renameSync(file.path + tmp, file.path);
  }
  // The sources the bundles were made of, with the time they were read, for the staleness check.
  const inputs = Object.keys(result.metafile.inputs).map((p) => relative(root, join(root, p)).replaceAll('\\', '/'));
  const newest = Math.max(...inputs.map((p) => statSync(join(root, p)).mtimeMs));
  const info = join(outDir, BUILD_INFO);
  writeFileSync(info + tmp, `${JSON.stringify({ builtFrom: newest, inputs }, null, 1)}\n`);
  renameSync(info + tmp, info);
  return { ms: Date.now() - started, files: result.outputFiles.length, inputs: inputs.length };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { ms, files, inputs } = await buildBins();
  if (!process.argv.includes('--quiet')) console.log(`build-bins: ${files} files in out/bin from ${inputs} sources (${ms} ms)`);
}
