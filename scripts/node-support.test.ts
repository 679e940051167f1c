// The Node story is told the same way by package.json, node-support.mjs (check-prereqs and
// npm start) and README, and matches what was measured (see node-support.mjs).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DESKTOP_NODE, HEADLESS_NODE, nodeSupport } from './node-support.mjs';

const root = resolve(__dirname, '..');

describe('Node.js support', () => {
  it('desktop app and tests: Node with require(esm) unflagged; headless: AbortSignal.any and zlib.crc32', () => {
    expect(DESKTOP_NODE).toBe('^20.19.0 || >=22.12.0');
    const table = Object.fromEntries(['v20.0.0', 'v20.14.0', 'v20.15.0', 'v20.18.3', 'v20.19.0', 'v21.7.3', 'v22.1.0', 'v22.11.0', 'v22.12.0', 'v24.11.0'].map((v) => [v, nodeSupport(v)]));
    expect(table).toEqual({
      'v20.0.0': { desktop: false, headless: false },
      'v20.14.0': { desktop: false, headless: false },
      'v20.15.0': { desktop: false, headless: true },
      'v20.18.3': { desktop: false, headless: true },
      'v20.19.0': { desktop: true, headless: true },
      'v21.7.3': { desktop: false, headless: false },
      'v22.1.0': { desktop: false, headless: false },
      'v22.11.0': { desktop: false, headless: true },
      'v22.12.0': { desktop: true, headless: true },
      'v24.11.0': { desktop: true, headless: true },
    });
  });

  it('README, package.json engines and check-prereqs say the same ranges', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain(`\`${DESKTOP_NODE}\``);
    expect(readme).toContain(`\`${HEADLESS_NODE}\``);
    const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
    expect(packageJson.engines.node).toBe(DESKTOP_NODE);
    // Its first line, whether or not this machine has the system packages the tests need.
    const said = spawnSync(process.execPath, [join(root, 'scripts/check-prereqs.mjs')], { encoding: 'utf8' }).stdout.split('\n')[0];
    expect(said).toBe(`prerequisites: Node.js ${process.version} (the desktop app and the tests need ${DESKTOP_NODE}; the headless relay, node and chat CLI ${HEADLESS_NODE})`);
  });
});
