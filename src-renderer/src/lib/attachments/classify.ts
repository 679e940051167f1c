// What a chosen file is, by its type and name: a PDF, source code, text, an image (refused: nodes
// take text only, docs/protocol.md §2.3.1), or something else that is tried as text.
import type { AttachmentKind } from '../../../../src-shared/vocabulary';

export type FileClass = AttachmentKind | 'image' | 'unknown';

const CODE = new Set(
  'ts tsx mts cts js jsx mjs cjs py pyi rb go rs java kt kts c h cc cpp cxx hpp hh cs fs swift m mm php pl pm sh bash zsh fish ps1 bat cmd sql html htm css scss sass less json jsonc json5 yaml yml toml xml ini cfg conf lua r jl scala sc dart vue svelte ex exs erl hs clj cljs elm nim zig v sol proto graphql gql tf hcl gradle cmake mk diff patch'.split(' '),
);
const TEXT = new Set('txt text md markdown mdx csv tsv log rst tex adoc org srt vtt env properties'.split(' '));
const CODE_NAMES = new Set(['dockerfile', 'makefile', 'gemfile', 'rakefile', 'justfile', 'procfile', '.gitignore', '.editorconfig']);
const IMAGE = new Set('png jpg jpeg gif webp bmp svg tif tiff ico heic heif avif'.split(' '));

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export function classifyFile(file: { name: string; type: string }): FileClass {
  const ext = extensionOf(file.name);
  const type = file.type.toLowerCase();
  if (type === 'application/pdf' || ext === 'pdf') return 'pdf';
  if (type.startsWith('image/') || IMAGE.has(ext)) return 'image';
  if (CODE.has(ext) || CODE_NAMES.has(file.name.toLowerCase())) return 'code';
  if (TEXT.has(ext) || type.startsWith('text/')) return 'text';
  return 'unknown';
}
