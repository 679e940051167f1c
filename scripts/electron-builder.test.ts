// Proves electron-builder.yml: packs the built app with `electron-builder --linux dir` against a
// stub Electron distribution (no Electron download), then checks what went into app.asar and
// that the fuses were really flipped in the (stub) binary. Needs the `npm run build` output; it
// builds once itself when out/ is missing.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const { listPackage } = require('@electron/asar') as { listPackage(archive: string, opts: { isPack: boolean }): string[] };
const { getCurrentFuseWire, FuseV1Options } = require('@electron/fuses') as {
  getCurrentFuseWire(path: string): Promise<Record<string, number | string>>;
  FuseV1Options: Record<string, number>;
};
const yaml = require('js-yaml') as { load(text: string): unknown };

const root = resolve(__dirname, '..');
const bin = (name: string) => join(root, 'node_modules/.bin', name);
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ENABLE = 49;
const DISABLE = 48;

let work: string;
let unpacked: string;
let builderMs = 0;

beforeAll(() => {
  if (!existsSync(join(root, 'out/main/index.js')) || !existsSync(join(root, 'out/renderer/index.html'))) {
    execFileSync(bin('electron-vite'), ['build'], { cwd: root, stdio: 'pipe' });
  }
  // the command-line tools' build is in out/ too, and must stay out of the package
  if (!existsSync(join(root, 'out/bin/relay-cli.js'))) execFileSync(process.execPath, ['scripts/build-bins.mjs', '--quiet'], { cwd: root, stdio: 'pipe' });
  work = mkdtempSync(join(tmpdir(), 'tp-builder-'));
  const dist = join(work, 'electron-dist');
  mkdirSync(dist);
  // A stand-in for the Electron binary: a script that carries a v1 fuse wire of 8 fuses in the
  // default states of a stock Electron build, so electron-builder's fuse step has work to do.
  writeFileSync(join(dist, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\necho stub\nexit 0\n#'), Buffer.from(`${SENTINEL}\x01\x0810110001\n`, 'latin1')]));
  chmodSync(join(dist, 'electron'), 0o755);
  writeFileSync(join(dist, 'version'), (require('electron/package.json') as { version: string }).version);
  copyFileSync(join(root, 'node_modules/electron/LICENSE'), join(dist, 'LICENSE'));
  const started = Date.now();
  const run = spawnSync(
    bin('electron-builder'),
    ['--linux', 'dir', '--publish', 'never', `-c.electronDist=${dist}`, `-c.directories.output=${join(work, 'dist')}`],
    { cwd: root, encoding: 'utf8', env: { ...process.env, CI: '1' } },
  );
  if (run.status !== 0) throw new Error(`electron-builder failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  builderMs = Date.now() - started;
  unpacked = join(work, 'dist/linux-unpacked');
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('electron-builder --linux dir (stub electronDist)', () => {
  it('packs the built app into app.asar, without sources, tests, fixtures or the e2e bridge', () => {
    console.log(`electron-builder --linux dir took ${builderMs} ms`);
    const asar = join(unpacked, 'resources/app.asar');
    expect(existsSync(asar)).toBe(true);
    const files = listPackage(asar, { isPack: false }).map((f) => f.replaceAll('\\', '/'));
    for (const needed of ['/out/main/index.js', '/out/preload/index.js', '/out/renderer/index.html', '/package.json']) {
      expect(files).toContain(needed);
    }
    const ownFiles = files.filter((f) => f !== '/node_modules' && !f.startsWith('/node_modules/'));
    for (const f of ownFiles) {
      expect(f, f).toMatch(/^\/(out(\/|$)|package\.json$)/);
      expect(f, f).not.toMatch(/\.test\.|\.map$/);
    }
    expect(files.some((f) => /\/e2e(\/|$)|\/bridge\//.test(f) && !f.startsWith('/node_modules/'))).toBe(false);
    expect(files.some((f) => f.startsWith('/node_modules/tsx/') || f.startsWith('/node_modules/esbuild/'))).toBe(false);
    expect(files.some((f) => f.startsWith('/out/bin/'))).toBe(false); // the command-line tools' build

    expect(files).toContain('/node_modules/zod/package.json');
  });

  it("ships only this platform's node-llama-cpp engines, unpacked beside app.asar", () => {
    const files = listPackage(join(unpacked, 'resources/app.asar'), { isPack: false }).map((f) => f.replaceAll('\\', '/'));
    expect(files).toContain('/node_modules/node-llama-cpp/dist/index.js');
    const engines = join(unpacked, 'resources/app.asar.unpacked/node_modules/@node-llama-cpp');
    const own = `linux-${process.arch}`;
    const withBinaries = readdirSync(engines).filter((pkg) => existsSync(join(engines, pkg, 'bins')));
    expect(withBinaries).toContain(own);
    for (const pkg of withBinaries) expect(pkg === own || pkg.startsWith(`${own}-`), pkg).toBe(true);
    expect(readdirSync(join(engines, own, 'bins', own)).some((f) => f.endsWith('.node'))).toBe(true);
  });

  it('leaves the CUDA engines out (Vulkan and the CPU build stay), in app.asar and beside it', () => {
    const files = listPackage(join(unpacked, 'resources/app.asar'), { isPack: false }).map((f) => f.replaceAll('\\', '/'));
    expect(files.filter((f) => /^\/node_modules\/@node-llama-cpp\/[^/]*-cuda/.test(f))).toEqual([]);
    const engines = join(unpacked, 'resources/app.asar.unpacked/node_modules/@node-llama-cpp');
    const shipped = readdirSync(engines);
    expect(shipped.filter((pkg) => pkg.includes('-cuda'))).toEqual([]);
    // on x64 the build machine has the Vulkan engine installed: it still ships
    if (process.arch === 'x64') expect(shipped).toContain('linux-x64-vulkan');
  });

  it('flips the fuses in the binary as configured', async () => {
    const wire = await getCurrentFuseWire(join(unpacked, 'tokenplace-desktop'));
    expect(wire[FuseV1Options.RunAsNode!]).toBe(DISABLE);
    expect(wire[FuseV1Options.EnableCookieEncryption!]).toBe(ENABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable!]).toBe(DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments!]).toBe(DISABLE);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation!]).toBe(ENABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar!]).toBe(ENABLE);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges!]).toBe(DISABLE);
  });

  it('declares the fuses, asar and every platform target in electron-builder.yml', () => {
    const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, Record<string, unknown>>;
    expect(config.asar).toBe(true);
    expect(config.productName).toBe('token.place');
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(config.linux!.target).toEqual(['AppImage', 'deb']);
    expect(config.mac).toMatchObject({ target: 'dmg', hardenedRuntime: true });
    expect(config.win).toMatchObject({ target: 'nsis' });
  });
});
