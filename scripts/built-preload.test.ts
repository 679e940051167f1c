// Checks the preload as it ships (out/preload/index.js), not just its source: a sandboxed
// preload may require only `electron`, and the object it exposes must have exactly the
// contract's methods. Builds once when out/ is missing.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventChannels, invokeChannels, splitChannel } from '../src-shared/ipc/contract';

const root = resolve(__dirname, '..');
const bundle = join(root, 'out/preload/index.js');

beforeAll(() => {
  if (!existsSync(bundle)) execFileSync(join(root, 'node_modules/.bin/electron-vite'), ['build'], { cwd: root, stdio: 'pipe' });
}, 120_000);

describe('built preload (out/preload/index.js)', () => {
  it('requires nothing but electron and exposes exactly the contract', () => {
    const source = readFileSync(bundle, 'utf8');
    const required: string[] = [];
    let exposed: { key: string; api: Record<string, Record<string, unknown>> } | undefined;
    const invoked: unknown[][] = [];
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: Record<string, Record<string, unknown>>) => (exposed = { key, api }) },
      ipcRenderer: { invoke: (...args: unknown[]) => (invoked.push(args), Promise.resolve({ ok: true, value: null })), on() {}, removeListener() {} },
    };
    const module = { exports: {} };
    runInNewContext(source, {
      require: (name: string) => {
        required.push(name);
        if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
        return electron;
      },
      module,
      exports: module.exports,
      TypeError,
      Object,
    });
    expect(required).toEqual(['electron']);
    expect(exposed?.key).toBe('tokenplace');
    const shape = Object.fromEntries(Object.entries(exposed!.api).map(([ns, methods]) => [ns, Object.keys(methods).sort()]));
    const expected: Record<string, string[]> = {};
    for (const channel of Object.keys(invokeChannels)) {
      const { namespace, method } = splitChannel(channel);
      (expected[namespace] ??= []).push(method);
    }
    expected.events = Object.keys(eventChannels).map((c) => splitChannel(c).method);
    for (const list of Object.values(expected)) list.sort();
    expect(shape).toEqual(expected);
    (exposed!.api.relay!.setEnabled as (r: unknown) => Promise<unknown>)({ enabled: false });
    expect(invoked).toEqual([['relay:setEnabled', { enabled: false }]]);
  });
});
