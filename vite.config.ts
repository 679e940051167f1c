// electron-vite builds the three targets: main (with its utility-process and worker entries), the
// sandboxed preload (CommonJS, fully bundled: a sandboxed preload cannot require node_modules),
// and the renderer.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src-main/app/main.ts'),
          'relay-process': resolve(__dirname, 'src-main/app/utility/relay-process.ts'),
          'node-process': resolve(__dirname, 'src-main/app/utility/node-process.ts'),
          // The node's RSA unwrap worker thread (src-main/crypto/forge-unwrap-worker-file.ts finds it).
          'forge-unwrap-worker': resolve(__dirname, 'src-main/crypto/forge-unwrap-worker.ts'),
        },
        output: { format: 'cjs' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-main/preload/index.ts') },
        output: { format: 'cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      // electron-vite leaves the renderer unminified by default; the window loads it from disk,
      // but parse time and memory still follow its size (npm run bench:bundle measures it).
      minify: true,
      cssMinify: true,
      // out/renderer/.vite/manifest.json: which chunks index.html loads and which load on demand
      // (bench/bundle.ts sizes the first; e2e/math-diagrams.spec.ts checks no grammar is in it).
      manifest: true,
      // Fonts (KaTeX's) stay files: the CSP's font-src is 'self', without data: (src-main/app/csp.ts).
      assetsInlineLimit: (file: string) => (/\.(woff2?|ttf|otf)$/.test(file) ? false : undefined),
      rollupOptions: { input: resolve(__dirname, 'src-renderer/index.html') },
    },
  },
});
