// A throwaway copy of the `electron` npm package for tests of its install step. install.js
// extracts into its own folder (dist/, path.txt), so running it here leaves the project's
// node_modules/electron as it was. Its dependencies (@electron/get, the zip extractor) still come
// from the project's node_modules, through NODE_PATH.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** What install.js reads from its own folder. */
const INSTALL_STEP_FILES = ['package.json', 'install.js', 'checksums.json'];

/** Settings that would send the download elsewhere or change what or how it fetches. */
const DOWNLOAD_SETTING = /^(npm_config_|npm_package_config_)?electron_|^force_no_cache$|^npm_config_(platform|arch)$/i;

export interface ScratchElectronPackage {
  /** The copy's folder (…/electron). */
  dir: string;
  /** This process's environment without any Electron download setting, plus NODE_PATH. */
  env: NodeJS.ProcessEnv;
  remove(): void;
}

/** `packageDir`: the real package, e.g. electronPackageDir() from scripts/start-electron.ts. */
export function scratchElectronPackage(packageDir: string): ScratchElectronPackage {
  const root = mkdtempSync(join(tmpdir(), 'tp-electron-'));
  const dir = join(root, 'electron');
  mkdirSync(dir);
  for (const file of INSTALL_STEP_FILES) copyFileSync(join(packageDir, file), join(dir, file));
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !DOWNLOAD_SETTING.test(key)));
  return {
    dir,
    env: { ...env, NODE_PATH: dirname(packageDir) },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
