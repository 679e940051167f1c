// Runs @doyensec/electronegativity over the built main process and preload (out/main,
// out/preload) and fails on ANY finding, whatever its severity or confidence. The tool itself
// exits 0 even with findings, so this reads its SARIF report.
//   node scripts/electronegativity-check.mjs            # scans out/main + out/preload
//   node scripts/electronegativity-check.mjs <dir>...   # scans other built directories
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const inputs = process.argv.length > 2 ? process.argv.slice(2).map((p) => resolve(p)) : [join(root, 'out/main'), join(root, 'out/preload')];
for (const input of inputs) {
  if (!existsSync(input)) {
    console.error(`electronegativity: ${input} does not exist; run \`npm run build\` first.`);
    process.exit(1);
  }
}

const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const work = mkdtempSync(join(tmpdir(), 'tp-electronegativity-'));
try {
  // One directory holding exactly what is scanned (the tool takes a single input).
  const scanned = join(work, 'app');
  for (const input of inputs) cpSync(input, join(scanned, basename(input)), { recursive: true });
  const report = join(work, 'report.sarif');
  const started = Date.now();
  const run = spawnSync(
    join(root, 'node_modules/.bin/electronegativity'),
    ['-i', scanned, '-r', '-e', electronVersion, '-o', report],
    { encoding: 'utf8', cwd: work },
  );
  if (run.status !== 0 || !existsSync(report)) {
    console.error(`electronegativity did not run (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
    process.exit(1);
  }
  const sarif = JSON.parse(readFileSync(report, 'utf8'));
  const [result] = sarif.runs ?? [];
  if (!result || result.invocations?.[0]?.executionSuccessful !== true || !Array.isArray(result.results)) {
    console.error('electronegativity: the report is incomplete; treating it as a failure.');
    process.exit(1);
  }
  const findings = result.results;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (findings.length === 0) {
    console.log(`electronegativity: 0 findings in ${inputs.map((i) => basename(i)).join(', ')} (Electron ${electronVersion}, ${seconds} s)`);
    process.exit(0);
  }
  console.error(`electronegativity: ${findings.length} finding(s); every one fails the check:`);
  for (const f of findings) {
    const loc = f.locations?.[0]?.physicalLocation;
    const where = loc ? `${loc.artifactLocation?.uri}:${loc.region?.startLine ?? 0}:${loc.region?.startColumn ?? 0}` : 'global';
    console.error(`  - ${f.ruleId} [${f.level}] ${where}: ${f.message?.text ?? ''}`);
    console.error(`    https://github.com/doyensec/electronegativity/wiki/${f.ruleId}`);
  }
  process.exit(1);
} finally {
  rmSync(work, { recursive: true, force: true });
}
