// `npm start`'s decisions with the download step and electron-vite replaced: binary present,
// fetched now, or unobtainable (one paragraph, exit 1, nothing built), and a Node too old.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DESKTOP_NODE, HEADLESS_NODE } from './node-support.mjs';
import { start, type StartDeps } from './start';
import type { ElectronInstallResult } from './start-electron';

const VERSION = '45.5.0';
let electronDir: string;

beforeEach(() => {
  electronDir = mkdtempSync(join(tmpdir(), 'tp-start-'));
  writeFileSync(join(electronDir, 'package.json'), JSON.stringify({ name: 'electron', version: VERSION }));
});
afterEach(() => rmSync(electronDir, { recursive: true, force: true }));

/** What Electron's install step leaves behind when it worked. */
function installBinary(dir: string) {
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'dist', 'electron'), '#!/bin/sh\n');
  chmodSync(join(dir, 'dist', 'electron'), 0o755);
  writeFileSync(join(dir, 'path.txt'), 'electron');
}

function harness(overrides: { install?: (dir: string) => ElectronInstallResult; nodeVersion?: string; env?: NodeJS.ProcessEnv; exitCodes?: Record<string, number> } = {}) {
  const calls = { installs: 0, electronVite: [] as string[][], log: [] as string[], fail: [] as string[] };
  const deps: StartDeps = {
    nodeVersion: overrides.nodeVersion ?? 'v20.20.2',
    electronDir,
    env: overrides.env ?? {},
    installElectron: async (dir) => {
      calls.installs += 1;
      return (overrides.install ?? (() => ({ ok: false, error: 'no install step in this test' })))(dir);
    },
    electronVite: async (args) => {
      calls.electronVite.push(args);
      return overrides.exitCodes?.[args[0]!] ?? 0;
    },
    log: (line) => calls.log.push(line),
    fail: (paragraph) => calls.fail.push(paragraph),
  };
  return { deps, calls };
}

const BUILD_AND_PREVIEW = [['build'], ['preview', '--skipBuild']];

describe('npm start', () => {
  it('with the binary present: no download, builds, launches and exits with the app', async () => {
    installBinary(electronDir);
    const { deps, calls } = harness({ exitCodes: { preview: 3 } });
    expect(await start(deps)).toBe(3);
    expect(calls.installs).toBe(0);
    expect(calls.electronVite).toEqual(BUILD_AND_PREVIEW);
    expect(calls.log).toEqual([]);
    expect(calls.fail).toEqual([]);
  });

  it('with the binary missing: runs Electron’s install step first, says so, then builds and launches', async () => {
    const { deps, calls } = harness({ install: (dir) => (installBinary(dir), { ok: true, error: '' }) });
    expect(await start(deps)).toBe(0);
    expect(calls.installs).toBe(1);
    expect(calls.log[0]).toBe(
      `Electron ${VERSION} is not installed yet: downloading it once with Electron's own install step (ELECTRON_MIRROR, electron_config_cache and the other @electron/get settings apply)...`,
    );
    expect(calls.log[1]).toMatch(new RegExp(`^Electron is installed \\(\\d+\\.\\d s\\): ${join(electronDir, 'dist', 'electron')}$`));
    expect(calls.electronVite).toEqual(BUILD_AND_PREVIEW);
  });

  it('when the binary cannot be had: exits 1 with one paragraph (what failed, the retry, what works without Electron), builds nothing', async () => {
    const error = 'could not download https://github.com/electron/electron/releases/download/v45.5.0/electron-v45.5.0-linux-x64.zip: getaddrinfo ENOTFOUND github.com';
    const { deps, calls } = harness({ install: () => ({ ok: false, error }) });
    expect(await start(deps)).toBe(1);
    expect(calls.electronVite).toEqual([]);
    expect(calls.fail).toEqual([
      `npm start could not get the Electron ${VERSION} binary that the desktop app runs in. Electron's install step failed: ${error}. ` +
        'Nothing was built or launched. When the Electron download server (or the mirror named by ELECTRON_MIRROR) can be reached, ' +
        'run `npm start` again: it downloads the binary once, then builds and starts the app. Without Electron, the headless parts work on this machine: ' +
        'the relay (`node bin/tokenplace-relay.js`), the compute node (`node bin/tokenplace-node.js`) and the chat CLI (`node bin/tokenplace-chat.js`), each with --help.',
    ]);
  });

  it('when the install step reports success but leaves no binary: unobtainable, not a launch into "Electron uninstall"', async () => {
    const { deps, calls } = harness({ install: () => ({ ok: true, error: '' }) });
    expect(await start(deps)).toBe(1);
    expect(calls.electronVite).toEqual([]);
    expect(calls.fail[0]).toContain(`Electron's install step finished without writing ${join(electronDir, 'path.txt')} and its binary.`);
  });

  it('a path.txt whose binary is gone counts as missing', async () => {
    writeFileSync(join(electronDir, 'path.txt'), 'electron');
    const { deps, calls } = harness({ install: (dir) => (installBinary(dir), { ok: true, error: '' }) });
    expect(await start(deps)).toBe(0);
    expect(calls.installs).toBe(1);
  });

  it('uses ELECTRON_EXEC_PATH as it is when it exists, and says so when it does not', async () => {
    const chosen = join(electronDir, 'my-electron');
    writeFileSync(chosen, '#!/bin/sh\n');
    const present = harness({ env: { ELECTRON_EXEC_PATH: chosen } });
    expect(await start(present.deps)).toBe(0);
    expect(present.calls.installs).toBe(0);
    expect(present.calls.electronVite).toEqual(BUILD_AND_PREVIEW);

    const missing = harness({ env: { ELECTRON_EXEC_PATH: join(electronDir, 'nothing-here') } });
    expect(await start(missing.deps)).toBe(1);
    expect(missing.calls.installs).toBe(0);
    expect(missing.calls.fail[0]).toContain(`ELECTRON_EXEC_PATH is set to ${join(electronDir, 'nothing-here')}, which does not exist (unset it to let npm start download Electron).`);
  });

  it('stops when the build fails, without launching', async () => {
    installBinary(electronDir);
    const { deps, calls } = harness({ exitCodes: { build: 1 } });
    expect(await start(deps)).toBe(1);
    expect(calls.electronVite).toEqual([['build']]);
  });

  it('on a Node too old for the desktop tooling: exits 1 before any download, naming the Node it needs and what still runs', async () => {
    const headlessOnly = harness({ nodeVersion: 'v20.18.3' });
    expect(await start(headlessOnly.deps)).toBe(1);
    expect(headlessOnly.calls.installs).toBe(0);
    expect(headlessOnly.calls.electronVite).toEqual([]);
    expect(headlessOnly.calls.fail).toHaveLength(1);
    expect(headlessOnly.calls.fail[0]).toContain(`\`npm start\` needs Node.js ${DESKTOP_NODE}`);
    expect(headlessOnly.calls.fail[0]).toContain('this is Node.js v20.18.3. Install Node.js 22.12 or newer, then run `npm ci && npm start` again.');
    expect(headlessOnly.calls.fail[0]).toContain('This Node does run the headless parts: the relay (`node bin/tokenplace-relay.js`)');

    const neither = harness({ nodeVersion: 'v20.0.0' });
    expect(await start(neither.deps)).toBe(1);
    expect(neither.calls.fail[0]).toContain(`The headless relay, compute node and chat CLI need Node.js ${HEADLESS_NODE}.`);
  });
});
