// Renderer size and speed (issue 14, Size and speed): `npm run bench:bundle` prints a table,
// `-- --json` one object. It uses the production renderer build (out/renderer), building it first
// unless it is newer than every renderer source, then:
//   - initial_js_gzip_kb / initial_css_gzip_kb: what index.html makes the window load before its
//     first paint (entry, modulepreloads, statically imported chunks, stylesheets), gzipped;
//   - first_render_ms: in Debian Chromium, from navigation start to the first frame where the
//     window is usable (its New chat button is in the page), the page talking to a real backend
//     through the loopback test bridge (test-support/bridge); median of RUNS fresh pages;
//   - open_10k_messages_ms: switching to a 10 000-message conversation until its last message is
//     on screen, with the renderer's in-memory fake api (test-support/web/fake-shim,
//     the conversation from test-support/web/long-conversation); median.
// Targets: initial JS ≤ 250 kB gzip, the 10 000-message conversation opening under 150 ms.
// Both pages are served from 127.0.0.1 under the app's CSP (test-support/web/static-server).
import { execSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { startBridge } from '../test-support/bridge';
import { gzipKb, initialLoad, RENDERER_OUT } from '../test-support/web/bundle';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test-support/web/chromium';
import { LONG_MESSAGES, longConversationShim } from '../test-support/web/long-conversation';
import { serveRenderer } from '../test-support/web/static-server';
import { median, round } from './stats';

const json = process.argv.includes('--json');
const RUNS = Number(process.env.BENCH_BUNDLE_RUNS ?? 5);
const TARGETS = { initial_js_gzip_kb: 250, open_10k_messages_ms: 150 };
const ROOT = resolve(__dirname, '..');

/** Newest modification time of the files that make up the renderer build. */
function newestSource(): number {
  let newest = 0;
  const walk = (path: string) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const path of ['src-renderer', 'src-shared', 'vite.config.ts', 'package.json', 'package-lock.json']) walk(join(ROOT, path));
  return newest;
}

/** Builds the renderer unless out/renderer is newer than its sources; says which. */
function ensureBuild(): 'fresh' | 'built' {
  const built = statSync(join(RENDERER_OUT, '.vite/manifest.json'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (built > newestSource() && !process.argv.includes('--build')) return 'fresh';
  execSync('npx electron-vite build', { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return 'built';
}

// Page scripts are strings (this file is type-checked without the DOM library); waitForFunction
// takes functions (serialised, so they name globalThis themselves) over these probes, since the
// CSP forbids it to evaluate a string.
interface Probes {
  __firstRenderMs?: number;
  __tpHas(text: string): boolean;
}
const PROBES = `(() => {
  window.__tpHas = (text) => (document.body?.textContent ?? '').includes(text);
  const usable = () => [...document.querySelectorAll('button')].some((b) => (b.getAttribute('aria-label') ?? b.textContent ?? '').trim() === 'New chat');
  const tick = () => {
    if (usable()) window.__firstRenderMs = performance.now();
    else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();`;

/** Runs use on a fresh page (its own context) with shim and PROBES installed, at url; closes it after. */
async function onFreshPage<T>(browser: Browser, url: string, shim: string, use: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(shim);
    await page.addInitScript(PROBES);
    await page.goto(url);
    return await use(page);
  } finally {
    await context.close();
  }
}

function firstRender(browser: Browser, url: string, shim: string): Promise<{ ms: number; fcp: number }> {
  return onFreshPage(browser, url, shim, async (page) => {
    await page.waitForFunction(() => (globalThis as unknown as Probes).__firstRenderMs !== undefined, undefined, { timeout: 30_000 });
    const ms = Number(await page.evaluate('window.__firstRenderMs'));
    const fcp = Number(await page.evaluate(`performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN`));
    return { ms, fcp };
  });
}

function open10k(browser: Browser, url: string, shim: string): Promise<number> {
  return onFreshPage(browser, url, shim, async (page) => {
    const last = LONG_MESSAGES - 2;
    await page.waitForFunction((text) => (globalThis as unknown as Probes).__tpHas(text), `Question ${last}:`, { timeout: 60_000 });
    const buttonOf = (title: string) => `[...document.querySelectorAll('.conv-item__main')].find((b) => b.textContent.startsWith('${title}'))`;
    await page.evaluate(`${buttonOf('Short chat')}.click()`);
    await page.waitForFunction((text) => !(globalThis as unknown as Probes).__tpHas(text), `Question ${last}:`, { timeout: 30_000 });
    // Let the short chat settle before timing the way back.
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    return Number(
      await page.evaluate(`(async () => {
        const started = performance.now();
        ${buttonOf('Ten thousand')}.click();
        while (!document.body.textContent.includes('Question ${last}:')) await new Promise((r) => requestAnimationFrame(r));
        return performance.now() - started;
      })()`),
    );
  });
}

async function main(): Promise<void> {
  const build = ensureBuild();
  const initial = initialLoad();
  const server = await serveRenderer(RENDERER_OUT);
  const bridge = await startBridge({ allowedOrigin: new URL(server.url).origin });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  try {
    const renders: { ms: number; fcp: number }[] = [];
    for (let i = 0; i < RUNS; i++) renders.push(await firstRender(browser, server.url, bridge.shimScript));
    const shim = await longConversationShim();
    const opens: number[] = [];
    for (let i = 0; i < RUNS; i++) opens.push(await open10k(browser, server.url, shim));
    const result = {
      bench: 'bundle',
      build,
      initial_js_gzip_kb: gzipKb(RENDERER_OUT, initial.js),
      initial_css_gzip_kb: gzipKb(RENDERER_OUT, initial.css),
      initial_files: [...initial.js, ...initial.css],
      first_render_ms: round(median(renders.map((r) => r.ms)), 1),
      first_contentful_paint_ms: round(median(renders.map((r) => r.fcp)), 1),
      open_10k_messages_ms: round(median(opens), 1),
      runs: RUNS,
      samples: { first_render_ms: renders.map((r) => round(r.ms, 1)), open_10k_messages_ms: opens.map((ms) => round(ms, 1)) },
      targets: TARGETS,
      browser: `chromium ${browser.version()}`,
      machine: { cpus: cpus().length, load_average_1m: round(loadavg()[0] ?? 0) },
    };
    if (json) {
      console.log(JSON.stringify(result));
    } else {
      const mark = (ok: boolean) => (ok ? 'ok' : 'OVER TARGET');
      console.log(`renderer build (${build}): ${result.initial_files.join(', ')}`);
      console.log(`initial JS   ${result.initial_js_gzip_kb} kB gzip (target ≤ ${TARGETS.initial_js_gzip_kb}) ${mark(result.initial_js_gzip_kb <= TARGETS.initial_js_gzip_kb)}`);
      console.log(`initial CSS  ${result.initial_css_gzip_kb} kB gzip`);
      console.log(`first render ${result.first_render_ms} ms (first contentful paint ${result.first_contentful_paint_ms} ms), median of ${RUNS}`);
      console.log(`open 10k     ${result.open_10k_messages_ms} ms (target < ${TARGETS.open_10k_messages_ms}) ${mark(result.open_10k_messages_ms < TARGETS.open_10k_messages_ms)}, median of ${RUNS}`);
      console.log(`${result.browser}, ${result.machine.cpus} cpus, load average ${result.machine.load_average_1m}`);
    }
  } finally {
    await browser.close();
    await bridge.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
