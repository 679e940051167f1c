// Which Node.js runs which part of token.place Desktop. check-prereqs.mjs (`npm test`) and
// start.ts (`npm start`) both ask here; README's "Prerequisites" says the same, and
// node-support.test.ts holds the three together.
import { readFileSync } from 'node:fs';
import semver from 'semver';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/**
 * The desktop app (`npm start`) and the tests (`npm test`): package.json `engines`. Electron's
 * install step (@electron/get) and Vitest load ES modules with require(), which Node has without
 * a flag from 20.19.0 and 22.12.0 on; on 20.18.3 and 22.11.0 both fail with ERR_REQUIRE_ESM
 * (electron-vite's build itself still works there). Electron 45 itself declares ">= 22.12.0", so `npm ci` on Node 20 prints an
 * EBADENGINE warning for it; its install step works on 20.19 all the same. The app then runs on
 * the Node inside Electron, not on this one.
 */
export const DESKTOP_NODE = packageJson.engines.node;

/**
 * The headless relay, compute node and chat CLI alone: they use AbortSignal.any (Node 20.3) and
 * zlib.crc32 (Node 20.15 and 22.2). Tried on 20.15.0 and 20.18.3 (relay in memory and on Redis,
 * node, one chat); 20.0.0 fails on AbortSignal.any.
 */
export const HEADLESS_NODE = '^20.15.0 || >=22.2.0';

/** The three commands that work without Electron, for messages that offer them. */
export const HEADLESS_COMMANDS =
  'the relay (`node bin/tokenplace-relay.js`), the compute node (`node bin/tokenplace-node.js`) and the chat CLI (`node bin/tokenplace-chat.js`), each with --help';

/** What this Node can run: the desktop app and tests, the headless parts, both or neither. */
export function nodeSupport(version = process.version) {
  return { desktop: semver.satisfies(version, DESKTOP_NODE), headless: semver.satisfies(version, HEADLESS_NODE) };
}

/** What needs require(esm) for each command. */
const NEEDS_REQUIRE_ESM = { 'npm start': "Electron's install step", 'npm test': 'Vitest' };

/**
 * One paragraph saying why `command` ('npm start' or 'npm test') cannot run on this Node and
 * what to do, or undefined when it can.
 */
export function desktopNodeProblem(command, version = process.version) {
  const support = nodeSupport(version);
  if (support.desktop) return undefined;
  const headless = support.headless
    ? `This Node does run the headless parts: ${HEADLESS_COMMANDS}.`
    : `The headless relay, compute node and chat CLI need Node.js ${HEADLESS_NODE}.`;
  return (
    `\`${command}\` needs Node.js ${DESKTOP_NODE} (${NEEDS_REQUIRE_ESM[command]} loads ES modules with require(), which older Node cannot), ` +
    `and this is Node.js ${version}. Install Node.js 22.12 or newer, then run \`npm ci && ${command}\` again. ${headless}`
  );
}
