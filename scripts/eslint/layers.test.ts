// The layer rule fires: RuleTester cases for each kind of violation (with the full message for
// the main ones), and the repository's own eslint.config.mjs rejecting synthetic files, so a
// violating import fails `npm test`'s lint step.
import { join, resolve } from 'node:path';
import { ESLint, RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import local from './layers.mjs';

const ROOT = resolve(__dirname, '..', '..');
const at = (path: string) => join(ROOT, path);

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester({
  languageOptions: { parser: tseslint.parser, ecmaVersion: 'latest', sourceType: 'module' },
});

tester.run('local/layers', local.rules.layers, {
  valid: [
    { name: 'another layer through its index.ts', filename: at('src-main/backend/x.ts'), code: "import { ChatService } from '../client';" },
    { name: 'an index.ts named explicitly', filename: at('src-main/backend/x.ts'), code: "import { startRelay } from '../relay/index';" },
    { name: 'its own layer, deep', filename: at('src-main/relay/state/x.ts'), code: "import { x } from '../store/memory-store';" },
    { name: 'src-shared files directly', filename: at('src-main/node/x.ts'), code: "import { C } from '../../src-shared/protocol/constants';" },
    { name: 'src-shared folders among themselves', filename: at('src-shared/ipc/x.ts'), code: "import { C } from '../protocol/constants';" },
    { name: "the app's types from the preload", filename: at('src-main/app/ipc.ts'), code: "import type { IpcResult } from '../preload';" },
    { name: 'inline type-only specifiers count as types', filename: at('src-main/app/ipc.ts'), code: "import { type IpcResult } from '../preload';" },
    { name: 'electron in the app', filename: at('src-main/app/main.ts'), code: "import { app } from 'electron';" },
    { name: 'electron in the preload', filename: at('src-main/preload/index.ts'), code: "import { contextBridge } from 'electron';" },
    { name: 'Node built-ins in a Node layer', filename: at('src-main/storage/x.ts'), code: "import { readFile } from 'node:fs/promises';" },
    { name: 'package.json for the version', filename: at('src-main/relay/x.ts'), code: "import pkg from '../../package.json';" },
    {
      name: 'a test takes test support and any layer through its index',
      filename: at('src-main/client/x.test.ts'),
      code: "import { startStack } from '../../test-support/client/stack';\nimport { startRelay } from '../relay';\nimport { x } from './relay-client';",
    },
    { name: 'test support reaches into its own layer', filename: at('test-support/node/harness.ts'), code: "import { handleWork } from '../../src-main/node/handle-work';" },
    { name: 'test support uses other test support', filename: at('test-support/client/stack.ts'), code: "import { h } from '../node/harness';" },
    { name: 'renderer test support reaches into the renderer', filename: at('test-support/renderer/h.tsx'), code: "import { App } from '../../src-renderer/src/App';" },
    { name: 'bench takes test support', filename: at('bench/relay.ts'), code: "import { call } from '../test-support/relay/http';" },
    { name: 'e2e takes test support', filename: at('e2e/bridge/bridge.ts'), code: "import { startRealBackend } from '../../test-support/backend/real-backend';" },
    { name: "scripts' tests take test support", filename: at('scripts/start.test.ts'), code: "import { m } from '../test-support/electron/mirror';" },
    { name: 'renderer tests take renderer test support', filename: at('src-renderer/src/App.test.tsx'), code: "import { h } from '../../test-support/renderer/harness';" },
    { name: 'files outside every layer are not judged', filename: at('vite.config.ts'), code: "import x from './src-main/app/main';" },
  ],
  invalid: [
    {
      name: 'a layer it may not import',
      filename: at('src-main/crypto/x.ts'),
      code: "import { createBackend } from '../backend';",
      errors: [
        {
          message:
            "src-main/crypto may not import src-main/backend ('../backend'): src-main/crypto may import src-shared. Move what both need into a layer src-main/crypto may import, or have a layer above src-main/crypto pass it in.",
        },
      ],
    },
    {
      name: 'another layer past its index.ts',
      filename: at('src-main/backend/chat.ts'),
      code: "import { ChatService } from '../client/chat-service';",
      errors: [
        {
          message:
            "src-main/backend imports '../client/chat-service', a file inside src-main/client: another layer is imported only through its index.ts ('../client'). If src-main/client/index.ts does not export what you need, export it there.",
        },
      ],
    },
    {
      name: 'test support from production code',
      filename: at('src-main/backend/in-process-hosts.ts'),
      code: "import { fakeHosts } from '../../test-support/backend/fake-hosts';",
      errors: [
        {
          message:
            "src-main/backend is not test code and may not import test support ('../../test-support/backend/fake-hosts'): test-support/ is importable only from tests (*.test.ts[x]), test-support/, bench/ and e2e/. Move what src-main/backend needs into a production layer.",
        },
      ],
    },
    {
      name: 'electron outside the app',
      filename: at('src-main/backend/x.ts'),
      code: "import { app } from 'electron';",
      errors: [
        {
          message:
            "src-main/backend may not import 'electron': only src-main/app and src-main/preload run in Electron. Do the Electron call in src-main/app and pass the result in.",
        },
      ],
    },
    {
      name: 'Node in the renderer',
      filename: at('src-renderer/src/stores/x.ts'),
      code: "import { readFile } from 'node:fs/promises';",
      errors: [
        {
          message:
            "src-renderer may not import the Node built-in 'node:fs/promises': it runs in the renderer (a browser page, no Node). Ask the main process through the IPC contract (src-shared/ipc).",
        },
      ],
    },
    {
      name: 'main-process code in the renderer',
      filename: at('src-renderer/src/x.ts'),
      code: "import { ChatService } from '../../src-main/client';",
      errors: [
        {
          message:
            "src-renderer runs in the renderer (a browser page, no Node) and may not import src-main/client ('../../src-main/client'), which is Node/Electron code. Use src-shared for what both sides need.",
        },
      ],
    },
    { name: 'main-process code in a renderer test', filename: at('src-renderer/src/x.test.tsx'), code: "import { x } from '../../src-main/backend';", errors: [{ messageId: 'wrongRuntime' }] },
    { name: 'Node in src-shared, bare name', filename: at('src-shared/protocol/x.ts'), code: "import { createHash } from 'crypto';", errors: [{ messageId: 'nodeBuiltin' }] },
    { name: 'src-shared importing the main process', filename: at('src-shared/ipc/x.ts'), code: "import { x } from '../../src-main/crypto';", errors: [{ messageId: 'wrongRuntime' }] },
    { name: 'src-shared importing the renderer', filename: at('src-shared/ipc/x.ts'), code: "import { x } from '../../src-renderer/src/api/api';", errors: [{ messageId: 'notAllowed' }] },
    { name: 'electron subpath in a script', filename: at('scripts/x.mjs'), code: "import { app } from 'electron/main';", errors: [{ messageId: 'electron' }] },
    { name: "the app's values from the preload", filename: at('src-main/app/ipc.ts'), code: "import { buildTokenPlaceApi } from '../preload';", errors: [{ messageId: 'typesOnly' }] },
    { name: 'a mixed import from the preload', filename: at('src-main/app/ipc.ts'), code: "import { type IpcResult, buildTokenPlaceApi } from '../preload';", errors: [{ messageId: 'typesOnly' }] },
    { name: 'export-from', filename: at('src-main/node/index.ts'), code: "export { ChatError } from '../client';", errors: [{ messageId: 'notAllowed' }] },
    { name: 'export-all past the index', filename: at('src-main/client/index.ts'), code: "export * from '../storage/atomic-write';", errors: [{ messageId: 'notThroughIndex' }] },
    { name: 'dynamic import()', filename: at('src-main/node/x.ts'), code: "const m = await import('../backend');", errors: [{ messageId: 'notAllowed' }] },
    { name: "an import('…') type", filename: at('src-main/relay/x.ts'), code: "type B = import('../backend').Backend;", errors: [{ messageId: 'notAllowed' }] },
    { name: 'import = require()', filename: at('src-main/relay/x.ts'), code: "import b = require('../client');", errors: [{ messageId: 'notAllowed' }] },
    { name: 'a test still enters other layers by their index', filename: at('src-main/client/x.test.ts'), code: "import { x } from '../relay/store/memory-store';", errors: [{ messageId: 'notThroughIndex' }] },
    { name: 'test support enters other layers by their index', filename: at('test-support/client/stack.ts'), code: "import { x } from '../../src-main/node/compute-node';", errors: [{ messageId: 'notThroughIndex' }] },
    { name: 'a non-test script taking test support', filename: at('scripts/start.mjs'), code: "import { m } from '../test-support/electron/mirror.ts';", errors: [{ messageId: 'testSupportOnly' }] },
    { name: 'a production test-named helper is still production', filename: at('src-main/node/test-provider.ts'), code: "import { h } from '../../test-support/node/harness';", errors: [{ messageId: 'testSupportOnly' }] },
    { name: 'one tool folder importing another', filename: at('e2e/support/x.ts'), code: "export * from '../../bench/relay';", errors: [{ messageId: 'notImportable' }] },
    { name: 'a path outside every layer', filename: at('src-main/relay/x.ts'), code: "import x from '../../fixtures/vectors/v.json';", errors: [{ messageId: 'outsideLayers' }] },
    { name: 'a folder missing from the map', filename: at('src-main/newthing/x.ts'), code: 'export const x = 1;', errors: [{ messageId: 'unmapped' }] },
  ],
});

describe('eslint.config.mjs', () => {
  const eslint = new ESLint({ cwd: ROOT });
  const probe = async (path: string, code: string) => (await eslint.lintText(code, { filePath: at(path) }))[0]!.messages;

  it('fails a file that breaks the layer map (what `npm test` runs)', async () => {
    const messages = await probe('src-main/crypto/layers-probe.ts', "import { createBackend } from '../backend';\nexport const b = createBackend;\n");
    expect(messages.map((m) => [m.ruleId, m.severity])).toEqual([['local/layers', 2]]);
  });

  it('keeps the process boundaries: electron, Node in the renderer, main-process code in the renderer', async () => {
    const electron = await probe('src-main/node/layers-probe.ts', "import { app } from 'electron';\nexport const a = app;\n");
    const node = await probe('src-renderer/src/layers-probe.ts', "import { readFile } from 'node:fs';\nexport const r = readFile;\n");
    const main = await probe('src-renderer/src/layers-probe.ts', "import { ChatService } from '../../src-main/client';\nexport const c = ChatService;\n");
    for (const messages of [electron, node, main]) expect(messages.map((m) => m.ruleId)).toEqual(['local/layers']);
  });

  it('passes a file that keeps to it', async () => {
    expect(await probe('src-main/backend/layers-probe.ts', "import { ChatService } from '../client';\nexport const c = ChatService;\n")).toEqual([]);
  });
});
