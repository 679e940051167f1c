// Electron's real install step (node_modules/electron/install.js with @electron/get), run the way
// `npm start` runs it, against a loopback stand-in mirror, in a scratch copy of the electron
// package so the project's node_modules/electron is never touched.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closedLoopbackUrl } from '../test-support/client/loopback';
import { scratchElectronPackage, type ScratchElectronPackage } from '../test-support/electron/scratch-electron-package';
import { STAND_IN_GREETING, startStandInMirror, type StandInMirror } from '../test-support/electron/stand-in-mirror';
import { electronPackageDir, electronVersion, ensureElectronBinary, installElectron } from './start-electron';

const projectElectron = electronPackageDir();
const version = electronVersion(projectElectron);
const projectElectronBefore = readdirSync(projectElectron).sort();

let scratch: ScratchElectronPackage;
let cache: string;
const mirrors: StandInMirror[] = [];

beforeAll(() => {
  cache = mkdtempSync(join(tmpdir(), 'tp-electron-cache-'));
});
afterEach(async () => {
  scratch?.remove();
  await Promise.all(mirrors.splice(0).map((m) => m.close()));
});
afterAll(() => rmSync(cache, { recursive: true, force: true }));

function ensure(mirrorUrl: string) {
  const log: string[] = [];
  const env = { ...scratch.env, ELECTRON_MIRROR: mirrorUrl, electron_use_remote_checksums: '1', electron_config_cache: cache };
  return ensureElectronBinary({ electronDir: scratch.dir, env, install: installElectron, log: (line) => log.push(line) }).then((outcome) => ({ outcome, log }));
}

async function mirror(checksum: 'right' | 'wrong' = 'right') {
  const started = await startStandInMirror({ version, checksum });
  mirrors.push(started);
  return started;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
}

describe("Electron's install step against a loopback stand-in mirror", () => {
  it('downloads from ELECTRON_MIRROR, keeps the zip in electron_config_cache and leaves a binary that runs; the next start finds it', async () => {
    scratch = scratchElectronPackage(projectElectron);
    const stand = await mirror();
    const { outcome, log } = await ensure(stand.url);

    expect(log.join('\n')).toContain(`Electron ${version} is not installed yet: downloading it once`);
    expect(outcome).toMatchObject({ state: 'fetched', path: join(scratch.dir, 'dist', 'electron') });
    expect(stand.requests).toEqual([`/v${version}/${stand.zipName}`, `/v${version}/SHASUMS256.txt`]);
    expect(readFileSync(join(scratch.dir, 'path.txt'), 'utf8')).toBe('electron');
    expect(execFileSync(join(scratch.dir, 'dist', 'electron'), ['.'], { encoding: 'utf8' })).toBe(`${STAND_IN_GREETING} v${version} .\n`);
    expect(filesUnder(cache)).toContain(stand.zipName);

    const again = await ensure(stand.url);
    expect(again.outcome).toEqual({ state: 'present', path: join(scratch.dir, 'dist', 'electron') });
    expect(again.log).toEqual([]);
    expect(stand.requests).toHaveLength(2);
  });

  it('reports an unreachable mirror as unobtainable, naming the URL and the refusal, in one line without a stack trace', async () => {
    scratch = scratchElectronPackage(projectElectron);
    const url = `${await closedLoopbackUrl()}/`;
    const { outcome } = await ensure(url);

    expect(outcome.state).toBe('unobtainable');
    const reason = outcome.state === 'unobtainable' ? outcome.reason : '';
    expect(reason).toBe(`Electron's install step failed: could not download ${url}v${version}/electron-v${version}-${process.platform}-${process.arch}.zip: connect ECONNREFUSED ${url.slice('http://'.length, -1)}`);
    expect(existsSync(join(scratch.dir, 'path.txt'))).toBe(false);
  });

  it('refuses a zip whose checksum does not match the mirror SHASUMS256.txt', async () => {
    scratch = scratchElectronPackage(projectElectron);
    const stand = await mirror('wrong');
    const { outcome } = await ensure(stand.url);

    expect(outcome).toEqual({
      state: 'unobtainable',
      reason: `Electron's install step failed: Generated checksum for "${stand.zipName}" did not match expected checksum.`,
    });
    expect(existsSync(join(scratch.dir, 'path.txt'))).toBe(false);
    expect(existsSync(join(scratch.dir, 'dist', 'electron'))).toBe(false);
  });

  it("leaves the project's node_modules/electron as it was", () => {
    expect(readdirSync(projectElectron).sort()).toEqual(projectElectronBefore);
  });
});
