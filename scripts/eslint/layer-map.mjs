// The layer map that the `local/layers` lint rule (layers.mjs) holds. One entry per folder.
//
// Production layers (`may`: the other layers its non-test files may import):
//   src-shared          ← nothing          (no Node, no DOM; its folders import each other)
//   src-main/crypto     ← src-shared
//   src-main/cli-flags  ← src-shared
//   src-main/storage    ← crypto, src-shared
//   src-main/models     ← src-shared
//   src-main/relay      ← crypto, cli-flags, src-shared
//   src-main/node       ← crypto, cli-flags, storage, models, src-shared   (storage: the headless node's key file)
//   src-main/client     ← crypto, cli-flags, storage, src-shared
//   src-main/backend    ← crypto, storage, models, relay, node, client, src-shared
//   src-main/app        ← backend, storage, relay, node, src-shared, preload (types only)
//   src-main/preload    ← src-shared
//   src-renderer        ← src-shared
//
// How a layer is entered from outside: through its index.ts (`../crypto`, never
// `../crypto/keys`). src-shared is the exception: its files are imported directly
// (`src-shared/protocol/constants`), because src-shared is nothing but public vocabulary — names,
// schemas and pure helpers with no internals to hide — and a barrel per folder would only add a
// second name for every export.
//
// Test side (none of it ships; it may import any production layer through its index.ts):
//   tests (*.test.ts[x])  ← their own layer's files freely, test-support/** freely
//   test-support/<x>      ← layer <x>'s files freely (src-main/<x>; `renderer` pairs with
//                           src-renderer), test-support/** freely
//   bench/, e2e/          ← their own files freely, test-support/** freely
//   scripts/              ← its own files freely (its tests also take test-support/**)
// test-support/** is importable only from tests, test-support, bench/ and e2e/.
// A browser or shared file (src-renderer, test-support/renderer, src-shared), test or not, never
// imports a Node or Electron layer.
//
// Packages, by runtime: only `electron` runtime layers may import the electron package; `browser`
// and `shared` ones import no Node built-in.
//
// Files outside every folder here (root configs, bin/) are not judged beyond the package rule.

/** @typedef {'shared' | 'browser' | 'node' | 'electron'} Runtime */
/**
 * @typedef {{ folder: string, runtime: Runtime, may: string[], typesOnly?: string[], directFiles?: boolean }} ProductionLayer
 * @typedef {{ folder: string, runtime: Runtime, testSupport: boolean, pairs?: string }} TestSideFolder
 */

/** @type {ProductionLayer[]} */
export const PRODUCTION_LAYERS = [
  { folder: 'src-shared', runtime: 'shared', may: [], directFiles: true },
  { folder: 'src-main/crypto', runtime: 'node', may: ['src-shared'] },
  { folder: 'src-main/cli-flags', runtime: 'node', may: ['src-shared'] },
  { folder: 'src-main/storage', runtime: 'node', may: ['src-main/crypto', 'src-shared'] },
  { folder: 'src-main/models', runtime: 'node', may: ['src-shared'] },
  { folder: 'src-main/relay', runtime: 'node', may: ['src-main/crypto', 'src-main/cli-flags', 'src-shared'] },
  { folder: 'src-main/node', runtime: 'node', may: ['src-main/crypto', 'src-main/cli-flags', 'src-main/storage', 'src-main/models', 'src-shared'] },
  { folder: 'src-main/client', runtime: 'node', may: ['src-main/crypto', 'src-main/cli-flags', 'src-main/storage', 'src-shared'] },
  {
    folder: 'src-main/backend',
    runtime: 'node',
    may: ['src-main/crypto', 'src-main/storage', 'src-main/models', 'src-main/relay', 'src-main/node', 'src-main/client', 'src-shared'],
  },
  {
    folder: 'src-main/app',
    runtime: 'electron',
    may: ['src-main/backend', 'src-main/storage', 'src-main/relay', 'src-main/node', 'src-shared', 'src-main/preload'],
    typesOnly: ['src-main/preload'],
  },
  { folder: 'src-main/preload', runtime: 'electron', may: ['src-shared'] },
  { folder: 'src-renderer', runtime: 'browser', may: ['src-shared'] },
];

/** @type {TestSideFolder[]} */
export const TEST_SIDE_FOLDERS = [
  { folder: 'test-support/renderer', runtime: 'browser', testSupport: true, pairs: 'src-renderer' },
  { folder: 'test-support', runtime: 'node', testSupport: true },
  { folder: 'bench', runtime: 'node', testSupport: true },
  { folder: 'e2e', runtime: 'node', testSupport: true },
  { folder: 'scripts', runtime: 'node', testSupport: false },
];

export const TEST_SUPPORT = 'test-support';
