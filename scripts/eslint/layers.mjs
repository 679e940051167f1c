// `local/layers`: the layer map of layer-map.mjs, held by the linter (in the spirit of VS Code's
// code-layering rule). Every import, export-from, dynamic import(), `import x = require()` and
// `import('…')` type of a file is judged by where the file lives and where the import lands:
// - a layer's production files import only the layers it names, and another layer only through
//   that layer's index.ts (src-shared's files are imported directly);
// - test-support/** is importable only from tests (*.test.ts[x]), test-support, bench/ and e2e/;
// - tests and the test side import any layer through its index.ts, their own layer freely;
// - browser and shared code never reaches Node code; `electron` only in Electron's own layers;
//   Node built-ins never in browser or shared code.
// Each message names the importing file's layer, the imported layer and what to do.
import { builtinModules } from 'node:module';
import { dirname, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PRODUCTION_LAYERS, TEST_SIDE_FOLDERS, TEST_SUPPORT } from './layer-map.mjs';

/** @typedef {import('./layer-map.mjs').ProductionLayer} ProductionLayer */
/** @typedef {import('./layer-map.mjs').TestSideFolder} TestSideFolder */
/**
 * Where a file lives: `home` is the folder it may import freely (its layer, or its test-side folder).
 * @typedef {{ kind: 'production', home: string, runtime: import('./layer-map.mjs').Runtime, layer: ProductionLayer }
 *         | { kind: 'test-side', home: string, runtime: import('./layer-map.mjs').Runtime, folder: TestSideFolder, pairs: string | undefined }} Place
 */

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const TEST_FILE = /\.test\.[cm]?[jt]sx?$/;
const INDEX_FILE = /^index(\.[cm]?[jt]sx?)?$/;
const WITHOUT_NODE = new Set(['shared', 'browser']);
const RUNTIME_WORDS = { shared: 'shared code (no Node, no DOM)', browser: 'the renderer (a browser page, no Node)' };
const byFolder = new Map(PRODUCTION_LAYERS.map((l) => [l.folder, l]));
const within = (path, folder) => path === folder || path.startsWith(`${folder}/`);

/** @returns {Place | null} */
function placeOf(path) {
  const layer = [...PRODUCTION_LAYERS].sort((a, b) => b.folder.length - a.folder.length).find((l) => within(path, l.folder));
  if (layer) return { kind: 'production', home: layer.folder, runtime: layer.runtime, layer };
  const folder = TEST_SIDE_FOLDERS.find((f) => within(path, f.folder));
  if (!folder) return null;
  const home = folder.folder.startsWith(`${TEST_SUPPORT}/`) ? TEST_SUPPORT : folder.folder;
  let pairs = folder.pairs;
  if (!pairs && home === TEST_SUPPORT) {
    const sub = path.split('/')[1];
    pairs = sub && byFolder.has(`src-main/${sub}`) ? `src-main/${sub}` : undefined;
  }
  return { kind: 'test-side', home, runtime: folder.runtime, folder, pairs };
}

/** The path of `file` inside the repository, with forward slashes. */
const repoPath = (file) => relative(REPO_ROOT, file).split(sep).join('/');

function isTypeOnly(node) {
  if (node.type === 'TSImportType') return true;
  if (node.importKind === 'type' || node.exportKind === 'type') return true;
  const specifiers = node.specifiers ?? [];
  return specifiers.length > 0 && specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type');
}

function listed(folders) {
  return folders.length ? folders.join(', ') : 'nothing';
}

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Holds the layer map of scripts/eslint/layer-map.mjs: who may import what, and how.' },
    schema: [],
    messages: {
      notAllowed:
        "{{from}} may not import {{to}} ('{{source}}'): {{from}} may import {{allowed}}. Move what both need into a layer {{from}} may import, or have a layer above {{from}} pass it in.",
      notThroughIndex:
        "{{from}} imports '{{source}}', a file inside {{to}}: another layer is imported only through its index.ts ('{{entry}}'). If {{to}}/index.ts does not export what you need, export it there.",
      testSupportOnly:
        "{{from}} is not test code and may not import test support ('{{source}}'): test-support/ is importable only from tests (*.test.ts[x]), test-support/, bench/ and e2e/. Move what {{from}} needs into a production layer.",
      notImportable:
        "{{from}} may not import '{{source}}' from {{to}}: {{to}} is not a layer others import. Move the shared part into test-support/ (for tests) or into a production layer.",
      typesOnly: "{{from}} may import only types from {{to}} ('{{source}}'): write `import type { … }`.",
      wrongRuntime:
        "{{from}} runs in {{runtime}} and may not import {{to}} ('{{source}}'), which is Node/Electron code. Use src-shared for what both sides need.",
      outsideLayers:
        "{{from}} imports '{{source}}', which is in no layer of scripts/eslint/layer-map.mjs. Import it from a layer, or add its folder to the map.",
      electron:
        "{{from}} may not import '{{source}}': only src-main/app and src-main/preload run in Electron. Do the Electron call in src-main/app and pass the result in.",
      nodeBuiltin:
        "{{from}} may not import the Node built-in '{{source}}': it runs in {{runtime}}. {{remedy}}",
      unmapped: '{{folder}} is in no layer of scripts/eslint/layer-map.mjs: add its folder there, with the layers it may import.',
    },
  },
  create(context) {
    const file = repoPath(context.filename);
    if (file.startsWith('..')) return {};
    const place = placeOf(file);
    const isTest = TEST_FILE.test(file);
    const runtime = place?.runtime ?? 'node';
    const from = place ? `${place.home}${isTest ? ' (test)' : ''}` : file;
    const fileDir = posix.dirname(file);

    const report = (node, messageId, data) => context.report({ node, messageId, data: { from, ...data } });

    function checkPackage(node, source) {
      const name = source.startsWith('@') ? source.split('/').slice(0, 2).join('/') : source.split('/')[0];
      if (name === 'electron' && runtime !== 'electron') report(node, 'electron', { source });
      if ((NODE_BUILTINS.has(source) || NODE_BUILTINS.has(name)) && WITHOUT_NODE.has(runtime)) {
        const remedy =
          runtime === 'browser' ? 'Ask the main process through the IPC contract (src-shared/ipc).' : 'Keep src-shared free of Node; put Node code in a src-main layer.';
        report(node, 'nodeBuiltin', { source, runtime: RUNTIME_WORDS[runtime], remedy });
      }
    }

    function checkRelative(node, declaration, source) {
      const target = posix.normalize(posix.join(fileDir, source.replace(/[?#].*$/, '')));
      if (!place) return;
      if (target === 'package.json') return;
      const to = placeOf(target);
      if (!to) return report(node, 'outsideLayers', { source });
      if (to.home === place.home) return;
      if (to.runtime !== 'shared' && to.runtime !== 'browser' && WITHOUT_NODE.has(runtime)) {
        return report(node, 'wrongRuntime', { to: to.home, source, runtime: RUNTIME_WORDS[runtime] });
      }
      if (to.kind === 'test-side') {
        if (to.home !== TEST_SUPPORT) return report(node, 'notImportable', { to: to.home, source });
        const testSide = isTest || (place.kind === 'test-side' && place.folder.testSupport);
        if (!testSide) return report(node, 'testSupportOnly', { source });
        return;
      }
      const layer = to.layer;
      if (place.kind === 'test-side' && place.pairs === layer.folder) return;
      if (place.kind === 'production' && !isTest) {
        if (!place.layer.may.includes(layer.folder)) return report(node, 'notAllowed', { to: layer.folder, source, allowed: listed(place.layer.may) });
        if (place.layer.typesOnly?.includes(layer.folder) && !isTypeOnly(declaration)) return report(node, 'typesOnly', { to: layer.folder, source });
      }
      if (layer.directFiles) return;
      const inside = target.slice(layer.folder.length + 1);
      if (target !== layer.folder && !INDEX_FILE.test(inside)) {
        let entry = posix.relative(fileDir, layer.folder);
        if (!entry.startsWith('.')) entry = `./${entry}`;
        report(node, 'notThroughIndex', { to: layer.folder, source, entry });
      }
    }

    function check(node, declaration) {
      if (!node || node.type !== 'Literal' || typeof node.value !== 'string') return;
      const source = node.value;
      if (source.startsWith('.')) checkRelative(node, declaration, source);
      else checkPackage(node, source);
    }

    return {
      Program: (node) => {
        if (!place && file.startsWith('src-main/')) report(node, 'unmapped', { folder: posix.dirname(file) });
      },
      ImportDeclaration: (node) => check(node.source, node),
      ExportNamedDeclaration: (node) => check(node.source, node),
      ExportAllDeclaration: (node) => check(node.source, node),
      ImportExpression: (node) => check(node.source, node),
      TSImportEqualsDeclaration: (node) => check(node.moduleReference?.expression, node),
      TSImportType: (node) => check(node.source, node),
    };
  },
};

export default { meta: { name: 'local' }, rules: { layers: rule } };
