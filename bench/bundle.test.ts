// What bench:bundle counts as the initial load: index.html's entry script, modulepreloads and
// stylesheets, and chunks the entry imports statically — never the ones it imports on demand.
import { describe, expect, it } from 'vitest';
import { assetsInHtml, staticClosure, type Manifest } from '../test-support/web/bundle';

describe('initial load of the renderer build', () => {
  it('reads the entry, modulepreloads and stylesheets from index.html, nothing else', () => {
    const html = `<!doctype html><html><head>
      <link rel="icon" href="./favicon.png">
      <script type="module" crossorigin src="./assets/index-A.js"></script>
      <link rel="modulepreload" crossorigin href="./assets/runtime-B.js">
      <link rel="stylesheet" crossorigin href="./assets/index-C.css">
      <link rel="preconnect" href="https://example.com">
    </head></html>`;
    expect(assetsInHtml(html)).toEqual(['assets/index-A.js', 'assets/runtime-B.js', 'assets/index-C.css']);
  });

  it('follows static imports from the entry, not dynamic ones', () => {
    const manifest: Manifest = {
      'index.html': { file: 'assets/index.js', isEntry: true, imports: ['_shared.js'], dynamicImports: ['rust.js'] },
      '_shared.js': { file: 'assets/shared.js', imports: ['_runtime.js'] },
      '_runtime.js': { file: 'assets/runtime.js' },
      'rust.js': { file: 'assets/rust.js', isDynamicEntry: true, imports: ['_runtime.js'] },
    };
    expect(staticClosure(manifest).sort()).toEqual(['_runtime.js', '_shared.js', 'index.html']);
  });
});
