// Makes sure the Electron binary that `electron-vite preview` launches is on disk, with
// Electron's own install step. electron-vite 6 runs ELECTRON_EXEC_PATH, or else
// `<electron package>/dist/<path.txt>`, and stops with a bare "Electron uninstall" when path.txt
// is missing. Electron ≥ 42 has no postinstall: it writes path.txt only when its install.js runs
// (on the first `require('electron')`), which neither `npm ci` nor electron-vite triggers.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

/** How Electron's install step ended; `error` is the first line of what it printed on failure. */
export interface ElectronInstallResult {
  ok: boolean;
  error: string;
}

/** Runs Electron's install step for the package in `electronDir` with the environment `env`. */
export type InstallElectron = (electronDir: string, env: NodeJS.ProcessEnv) => Promise<ElectronInstallResult>;

export type ElectronBinary =
  | { state: 'present'; path: string }
  | { state: 'fetched'; path: string; seconds: number }
  | { state: 'unobtainable'; reason: string };

const INSTALL_WRAPPER = join(dirname(fileURLToPath(import.meta.url)), 'start-electron-install.mjs');

/** The folder of the `electron` npm package this project resolves (node_modules/electron). */
export function electronPackageDir(): string {
  return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
}

export function electronVersion(electronDir: string): string {
  return (JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The binary electron-vite would launch from `electronDir`, when it is there (its own lookup). */
export function installedElectronBinary(electronDir: string): string | undefined {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8'));
  return existsSync(binary) ? binary : undefined;
}

/**
 * Present, fetched now, or unobtainable (with why). Runs `install` only when no binary is there.
 * ELECTRON_EXEC_PATH (electron-vite's own setting for a binary of your choice) is used as it is.
 */
export async function ensureElectronBinary(options: {
  electronDir: string;
  env: NodeJS.ProcessEnv;
  install: InstallElectron;
  log: (line: string) => void;
}): Promise<ElectronBinary> {
  const { electronDir, env, install, log } = options;
  const chosen = env.ELECTRON_EXEC_PATH;
  if (chosen) {
    return existsSync(chosen)
      ? { state: 'present', path: chosen }
      : { state: 'unobtainable', reason: `ELECTRON_EXEC_PATH is set to ${chosen}, which does not exist (unset it to let npm start download Electron)` };
  }
  const present = installedElectronBinary(electronDir);
  if (present) return { state: 'present', path: present };

  log(`Electron ${electronVersion(electronDir)} is not installed yet: downloading it once with Electron's own install step (ELECTRON_MIRROR, electron_config_cache and the other @electron/get settings apply)...`);
  const started = performance.now();
  const result = await install(electronDir, env);
  const fetched = installedElectronBinary(electronDir);
  if (result.ok && fetched) return { state: 'fetched', path: fetched, seconds: (performance.now() - started) / 1000 };
  return {
    state: 'unobtainable',
    reason: result.ok
      ? `Electron's install step finished without writing ${join(electronDir, 'path.txt')} and its binary`
      : `Electron's install step failed: ${result.error}`,
  };
}

/**
 * The real install step: `<electronDir>/install.js` through start-electron-install.mjs, so its
 * output and @electron/get's progress bar reach the terminal while the stack trace it prints on
 * failure is kept back and summarised in one line.
 */
export const installElectron: InstallElectron = (electronDir, env) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', INSTALL_WRAPPER, electronDir], {
      env,
      stdio: ['ignore', 'inherit', 'inherit', 'pipe'],
    });
    let printed = '';
    (child.stdio[3] as Readable).setEncoding('utf8').on('data', (chunk: string) => (printed += chunk));
    child.on('error', (err) => resolve({ ok: false, error: err.message }));
    child.on('close', (code, signal) =>
      resolve({ ok: code === 0, error: errorSummary(printed) ?? (signal ? `it was stopped by ${signal}` : `it exited with code ${code}`) }),
    );
  });

/**
 * The first line the install step wrote to fd 3, without an error class: "could not download
 * <url>: <reason>" for a failed fetch, else e.g. "Response code 404 (Not Found) for <url>".
 */
function errorSummary(printed: string): string | undefined {
  const first = printed.split('\n').find((line) => line.trim() !== '');
  return first?.trim().replace(/^[A-Za-z]*Error: /, '');
}
