// `npm start`: checks the Node version, makes sure the Electron binary is on disk (downloading it
// once with Electron's own install step), then builds (`electron-vite build`) and launches the
// app (`electron-vite preview`). When Electron cannot be had it exits 1 with one paragraph: what
// failed, the command to retry and what works without Electron.
import { spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { desktopNodeProblem, HEADLESS_COMMANDS } from './node-support.mjs';
import { electronPackageDir, electronVersion, ensureElectronBinary, installElectron, type InstallElectron } from './start-electron';

export interface StartDeps {
  nodeVersion: string;
  electronDir: string;
  env: NodeJS.ProcessEnv;
  installElectron: InstallElectron;
  /** Runs electron-vite with these arguments on the terminal; resolves its exit code. */
  electronVite: (args: string[]) => Promise<number>;
  /** A progress line (stdout). */
  log: (line: string) => void;
  /** The one paragraph that explains why nothing was started (stderr). */
  fail: (paragraph: string) => void;
}

/** Resolves the exit code for `npm start`. */
export async function start(deps: StartDeps): Promise<number> {
  const nodeProblem = desktopNodeProblem('npm start', deps.nodeVersion);
  if (nodeProblem) {
    deps.fail(nodeProblem);
    return 1;
  }
  const electron = await ensureElectronBinary({ electronDir: deps.electronDir, env: deps.env, install: deps.installElectron, log: deps.log });
  if (electron.state === 'unobtainable') {
    deps.fail(electronUnobtainable(electronVersion(deps.electronDir), electron.reason));
    return 1;
  }
  if (electron.state === 'fetched') deps.log(`Electron is installed (${electron.seconds.toFixed(1)} s): ${electron.path}`);
  const built = await deps.electronVite(['build']);
  if (built !== 0) return built;
  return deps.electronVite(['preview', '--skipBuild']);
}

export function electronUnobtainable(version: string, reason: string): string {
  return (
    `npm start could not get the Electron ${version} binary that the desktop app runs in. ${reason}. Nothing was built or launched. ` +
    `When the Electron download server (or the mirror named by ELECTRON_MIRROR) can be reached, run \`npm start\` again: it downloads the binary once, then builds and starts the app. ` +
    `Without Electron, the headless parts work on this machine: ${HEADLESS_COMMANDS}.`
  );
}

function runElectronVite(args: string[]): Promise<number> {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('electron-vite/package.json');
  const { bin } = require(pkgPath) as { bin: Record<string, string> };
  const cli = join(dirname(pkgPath), bin['electron-vite']!);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: 'inherit' });
    child.on('error', (err) => {
      console.error(`Could not run electron-vite: ${err.message}`);
      resolve(1);
    });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

/** Breaks a paragraph into lines of about 100 characters, at spaces outside `commands`. */
function wrap(paragraph: string): string {
  const lines: string[] = [];
  for (const word of paragraph.match(/\S*`[^`]*`\S*|\S+/g) ?? []) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last]!.length + 1 + word.length <= 100) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines.join('\n');
}

if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  start({
    nodeVersion: process.version,
    electronDir: electronPackageDir(),
    env: process.env,
    installElectron,
    electronVite: runElectronVite,
    log: (line) => console.log(line),
    fail: (paragraph) => console.error(`\n${wrap(paragraph)}\n`),
  }).then((code) => process.exit(code));
}
