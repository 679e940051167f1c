// `npm test`: every check, in order, with one summary at the end.
// Each step runs even when an earlier one failed (except those that need the build), so one run
// shows every problem; the exit code is non-zero if any step failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

mkdirSync('test-reports', { recursive: true });
for (const report of ['vitest.json', 'playwright.json', 'playwright-electron.json']) rmSync(`test-reports/${report}`, { force: true });

const steps = [
  { name: 'prerequisites', cmd: 'node scripts/check-prereqs.mjs', fatal: true },
  { name: 'lint', cmd: 'npx eslint --max-warnings 0 .' },
  { name: 'types', cmd: 'npm run -s typecheck' },
  { name: 'build', cmd: 'npm run -s build', fatal: true },
  {
    name: 'unit and integration (vitest)',
    cmd: 'npx vitest run --reporter=default --reporter=json --outputFile.json=test-reports/vitest.json',
    counts: () => vitestCounts('test-reports/vitest.json'),
  },
  {
    name: 'end to end in Chromium (playwright, headless and headed under xvfb)',
    cmd: 'npm run -s test:e2e',
    // The build step above already produced out/; the e2e global setup need not build it again.
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: 'test-reports/playwright.json', E2E_SKIP_BUILD: '1' },
    counts: () => playwrightCounts('test-reports/playwright.json'),
  },
  {
    name: 'electron launch (runs where an Electron binary exists)',
    cmd: 'npm run -s test:electron',
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: 'test-reports/playwright-electron.json' },
    counts: () => playwrightCounts('test-reports/playwright-electron.json'),
  },
  { name: 'electronegativity (0 findings)', cmd: 'npm run -s test:electronegativity' },
];

const results = [];
let passed = 0;
let failed = 0;
let skipped = 0;
for (const step of steps) {
  console.log(`\n=== ${step.name}: ${step.cmd}`);
  const started = Date.now();
  const run = spawnSync(step.cmd, { shell: true, stdio: 'inherit', env: { ...process.env, ...step.env } });
  const ok = run.status === 0;
  const counts = step.counts?.();
  if (counts) {
    passed += counts.passed;
    failed += counts.failed;
    skipped += counts.skipped;
  } else {
    if (ok) passed += 1;
    else failed += 1;
  }
  if (!ok && counts && counts.failed === 0) failed += 1; // the runner failed without a failing test (e.g. a crash)
  results.push({ name: step.name, ok, seconds: ((Date.now() - started) / 1000).toFixed(1), counts });
  if (!ok && step.fatal) break;
}

console.log('\n=== summary');
for (const r of results) {
  const detail = r.counts ? ` (${r.counts.passed} passed, ${r.counts.failed} failed, ${r.counts.skipped} skipped)` : '';
  console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} — ${r.seconds} s${detail}`);
}
const allOk = results.length === steps.length && results.every((r) => r.ok);
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(allOk ? 0 : 1);

function vitestCounts(file) {
  if (!existsSync(file)) return undefined;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  return {
    passed: report.numPassedTests ?? 0,
    failed: report.numFailedTests ?? 0,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
}

function playwrightCounts(file) {
  if (!existsSync(file)) return undefined;
  const stats = JSON.parse(readFileSync(file, 'utf8')).stats ?? {};
  return {
    passed: (stats.expected ?? 0) + (stats.flaky ?? 0),
    failed: stats.unexpected ?? 0,
    skipped: stats.skipped ?? 0,
  };
}
