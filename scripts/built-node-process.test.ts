// Checks the compute-node utility process as it ships (out/main/node-process.js), not just its
// source: its RSA unwraps run on a worker thread whose script electron-vite emits as its own
// entry (out/main/forge-unwrap-worker.js) while the code that starts it lands in out/main/chunks/.
// A PKCS#1 v1.5 request answered with the model's text (not the generic error a missing worker
// ends in) proves the bundle finds and runs it. Runs under plain Node with a stand-in for
// Electron's process.parentPort. Builds once when out/ is missing.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRsaKeyPair } from '../src-main/crypto';
import type { RunningRelay } from '../src-main/relay';
import { startTestRelay } from '../test-support/node/harness';
import { MiniClient, replyText } from '../test-support/node/mini-client';

const root = resolve(__dirname, '..');
const entry = join(root, 'out/main/node-process.js');
const worker = join(root, 'out/main/forge-unwrap-worker.js');
const MODEL = 'bundled-model';

// process.parentPort as Electron gives a utility process, over the Node IPC channel.
const PARENT_PORT_SHIM = `
process.parentPort = {
  on: (event, listener) => process.on(event, (data) => listener({ data })),
  postMessage: (message) => process.send(message),
};
require(process.env.TOKENPLACE_TEST_ENTRY);
`;

let relay: RunningRelay;
let child: ChildProcess;
const messages: { type: string; id?: number; ok?: boolean; error?: unknown }[] = [];

function nextMessage(match: (m: (typeof messages)[number]) => boolean, timeoutMs = 30_000): Promise<(typeof messages)[number]> {
  return new Promise((resolvePromise, reject) => {
    const found = messages.find(match);
    if (found) return resolvePromise(found);
    const timer = setTimeout(() => reject(new Error(`no matching message from the node process; got ${JSON.stringify(messages)}`)), timeoutMs);
    child.on('message', function onMessage() {
      const hit = messages.find(match);
      if (!hit) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolvePromise(hit);
    });
  });
}

beforeAll(async () => {
  if (!existsSync(entry) || !existsSync(worker)) execFileSync(join(root, 'node_modules/.bin/electron-vite'), ['build'], { cwd: root, stdio: 'pipe' });
  relay = await startTestRelay();
  child = spawn(process.execPath, ['-e', PARENT_PORT_SHIM], {
    cwd: root,
    env: { ...process.env, TOKENPLACE_TEST_ENTRY: entry },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  child.on('message', (m) => messages.push(m as (typeof messages)[number]));
  await nextMessage((m) => m.type === 'ready');
}, 180_000);

afterAll(async () => {
  child?.kill();
  await relay?.close();
});

describe('built compute-node process (out/main/node-process.js)', () => {
  it('finds its bundled unwrap worker and answers a PKCS#1 v1.5 request', async () => {
    child.send({ type: 'call', id: 1, method: 'start', config: { relayUrl: relay.url, relayLaunchSecret: 'unused-by-a-standalone-relay', provider: 'test', model: MODEL } });
    expect(await nextMessage((m) => m.type === 'result' && m.id === 1)).toMatchObject({ ok: true });

    const client = new MiniClient(relay.url, await generateRsaKeyPair(), 'pkcs1v15');
    const sent = await client.send({ model: MODEL, messages: [{ role: 'user', content: 'hello from a browser' }] });
    const answer = await client.waitForAnswer(sent.requestId, 20_000);
    expect(replyText(answer).length).toBeGreaterThan(0);

    child.send({ type: 'call', id: 2, method: 'stop' });
    expect(await nextMessage((m) => m.type === 'result' && m.id === 2)).toMatchObject({ ok: true });
  }, 60_000);
});
