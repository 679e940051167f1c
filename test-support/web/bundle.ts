// What the production renderer build (out/renderer) makes the window load before its first paint:
// the entry script, its modulepreloads and stylesheets named in index.html, plus every chunk the
// entry imports statically (Vite's manifest, out/renderer/.vite/manifest.json). Used by
// bench/bundle.ts (sizes) and e2e/math-diagrams.spec.ts (no highlight.js grammar in it).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

export const RENDERER_OUT = resolve(__dirname, '../../out/renderer');

export interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
export type Manifest = Record<string, ManifestChunk>;

/** The asset paths (relative to the build folder) index.html loads: scripts, modulepreloads, stylesheets. */
export function assetsInHtml(html: string): string[] {
  const found: string[] = [];
  for (const [tag] of html.matchAll(/<(?:script|link)\b[^>]*>/g)) {
    const isScript = tag.startsWith('<script');
    const rel = /\brel="([^"]+)"/.exec(tag)?.[1];
    if (!isScript && rel !== 'modulepreload' && rel !== 'stylesheet') continue;
    const url = /\b(?:src|href)="([^"]+)"/.exec(tag)?.[1];
    if (url && !/^[a-z]+:/i.test(url)) found.push(url.replace(/^\.?\//, ''));
  }
  return found;
}

/** The manifest keys of the entry and of every chunk reachable from it by static imports. */
export function staticClosure(manifest: Manifest): string[] {
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key) || !manifest[key]) return;
    seen.add(key);
    for (const next of manifest[key].imports ?? []) visit(next);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  return [...seen];
}

export interface InitialLoad {
  /** Files loaded before the first paint, relative to the build folder. */
  js: string[];
  css: string[];
}

export function initialLoad(dir = RENDERER_OUT): InitialLoad {
  const manifest = JSON.parse(readFileSync(join(dir, '.vite/manifest.json'), 'utf8')) as Manifest;
  const files = new Set(assetsInHtml(readFileSync(join(dir, 'index.html'), 'utf8')));
  const closure = staticClosure(manifest);
  for (const key of closure) {
    files.add(manifest[key]!.file);
    for (const css of manifest[key]!.css ?? []) files.add(css);
  }
  const all = [...files].sort();
  return { js: all.filter((f) => f.endsWith('.js')), css: all.filter((f) => f.endsWith('.css')) };
}

/** The chunks (file names) that hold highlight.js grammars. */
export function grammarChunks(dir = RENDERER_OUT): { file: string; src: string }[] {
  const manifest = JSON.parse(readFileSync(join(dir, '.vite/manifest.json'), 'utf8')) as Manifest;
  return Object.values(manifest)
    .filter((chunk) => chunk.src && /highlight\.js\/(?:es|lib)\/languages\//.test(chunk.src))
    .map((chunk) => ({ file: chunk.file, src: chunk.src! }));
}

/** Gzip size in kB (1000 bytes, as Vite reports it; zlib's default level), one decimal. */
export function gzipKb(dir: string, files: readonly string[]): number {
  const bytes = files.reduce((sum, file) => sum + gzipSync(readFileSync(join(dir, file))).length, 0);
  return Math.round(bytes / 100) / 10;
}

/**
 * The `name:"…"` literal each grammar chunk declares (names of four letters or more, which do not
 * turn up by chance), so a test can look for a grammar compiled into another chunk. `plaintext` is
 * left out: highlight.js core itself declares a "Plain text" language.
 */
export function grammarNames(dir = RENDERER_OUT): string[] {
  return grammarChunks(dir)
    .filter(({ src }) => !src.endsWith('/plaintext.js'))
    .map(({ file }) => /\bname:(["'`])([^"'`]{4,})\1/.exec(readFileSync(join(dir, file), 'utf8'))?.[0])
    .filter((name): name is string => name !== undefined);
}
