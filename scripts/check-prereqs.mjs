// Fails the test run with a clear message when this Node.js cannot run the tests or a system
// package the tests need is missing. Nothing is ever skipped silently.
import { execFileSync } from 'node:child_process';
import { DESKTOP_NODE, HEADLESS_NODE, desktopNodeProblem } from './node-support.mjs';

const required = [
  { cmd: 'chromium', why: 'end-to-end tests of the renderer (Playwright drives Debian Chromium)', debian: 'chromium', other: 'Chromium or Google Chrome; set CHROMIUM_PATH to its binary' },
  { cmd: 'xvfb-run', why: 'headed end-to-end tests under a virtual X server', debian: 'xvfb', other: 'Xvfb (xorg-server-xvfb on Arch/Fedora; XQuartz is not needed on macOS: headed runs use the real display)' },
  { cmd: 'redis-server', why: 'tests of the relay scaling out on Redis', debian: 'redis-server', other: 'Redis 6+ (brew install redis, dnf install redis)' },
];

function found(cmd) {
  if (cmd === 'chromium' && process.env.CHROMIUM_PATH) return true;
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const nodeProblem = desktopNodeProblem('npm test');
if (nodeProblem) console.error(`${nodeProblem}\n`);
else console.log(`prerequisites: Node.js ${process.version} (the desktop app and the tests need ${DESKTOP_NODE}; the headless relay, node and chat CLI ${HEADLESS_NODE})`);

const missing = required.filter((r) => !found(r.cmd));
if (missing.length > 0) {
  console.error('The test run needs system packages that are not installed:\n');
  for (const m of missing) console.error(`  - ${m.cmd}: for ${m.why}`);
  console.error(`\nOn Debian/Ubuntu: sudo apt-get install -y ${missing.map((m) => m.debian).join(' ')}`);
  console.error('Elsewhere:');
  for (const m of missing) console.error(`  - ${m.other}`);
}
if (nodeProblem || missing.length > 0) process.exit(1);
console.log('prerequisites: chromium, xvfb-run and redis-server found');
