// Builds only the production renderer (out/renderer) with the renderer section of vite.config.ts,
// so end-to-end tests run against exactly what ships, without needing the main-process build.
// Run: npx tsx e2e/support/build-renderer.ts
import { build, type InlineConfig } from 'vite';
import config from '../../vite.config';

async function main(): Promise<void> {
  const started = Date.now();
  const renderer = (config as { renderer?: InlineConfig }).renderer;
  if (!renderer) throw new Error('vite.config.ts has no renderer section');
  // The same presets electron-vite applies to a production renderer: relative base (file://),
  // no module-preload polyfill, no minification.
  await build({
    ...renderer,
    configFile: false,
    base: './',
    mode: 'production',
    logLevel: 'warn',
    build: { ...renderer.build, modulePreload: { polyfill: false }, minify: false, emptyOutDir: true },
  });
  console.log(`renderer built in ${Date.now() - started} ms`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
