// What every bin does: run its CLI's entry (each entry hands the process to its program with
// cli-flags' runBin), compiled to plain JavaScript in out/bin/ by scripts/build-bins.mjs, which
// `npm run build` runs. No TypeScript is compiled at run time. In a checkout (the sources beside
// this folder) the build is made first when it is missing or older than any of its sources, so an
// edited or pulled tree never runs stale code; a copy without sources runs what was built.
/* eslint-disable @typescript-eslint/no-require-imports */
const { spawnSync } = require('node:child_process');
const { existsSync, readFileSync, statSync } = require('node:fs');
const { basename, join } = require('node:path');

const root = join(__dirname, '..');
const outDir = join(root, 'out', 'bin');

/** Whether out/bin was built from older sources than the checkout holds (or is not built at all). */
function isStale() {
  let info;
  try {
    info = JSON.parse(readFileSync(join(outDir, 'build-info.json'), 'utf8'));
  } catch {
    return true;
  }
  return info.inputs.some((input) => {
    try {
      return statSync(join(root, input)).mtimeMs > info.builtFrom;
    } catch {
      return true; // a source the build used is gone
    }
  });
}

function canBuild() {
  try {
    require.resolve('esbuild', { paths: [root] });
    return true;
  } catch {
    return false;
  }
}

module.exports = function launch(entry) {
  const name = basename(process.argv[1] ?? 'tokenplace', '.js');
  const built = join(outDir, `${entry.replace('/', '-')}.js`);
  const checkout = existsSync(join(root, 'src-main'));
  if (checkout && (!existsSync(built) || isStale())) {
    if (canBuild()) {
      const build = spawnSync(process.execPath, [join(root, 'scripts', 'build-bins.mjs'), '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
      if (build.status !== 0) {
        process.stderr.write(`${name}: could not compile the command-line tools (above); fix that, or run npm run build\n`);
        process.exit(1);
      }
    } else if (existsSync(built)) {
      process.stderr.write(`${name}: warning: out/bin is older than the sources and esbuild (a dev dependency) is missing to rebuild it; run npm ci && npm run build\n`);
    }
  }
  if (!existsSync(built)) {
    process.stderr.write(`${name}: not built yet: run npm ci && npm run build (in ${root})\n`);
    process.exit(1);
  }
  require(built);
};
