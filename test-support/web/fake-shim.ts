// Bundles the renderer's in-memory fake api (test-support/renderer/fake-api.ts) into a script for
// page.addInitScript. Used only where the real backend is beside the point: measuring how the UI
// renders and scrolls a 10 000-message conversation.
import { build } from 'esbuild';
import { resolve } from 'node:path';

export interface FakeSeed {
  conversations: { title: string; messages: { role: 'user' | 'assistant'; content: string }[] }[];
}

let bundled: Promise<string> | undefined;

function bundle(): Promise<string> {
  bundled ??= build({
    stdin: {
      contents: `import { createFakeApi } from './test-support/renderer/fake-api';
        const seed = globalThis.__TP_FAKE_SEED__ || { conversations: [] };
        const fake = createFakeApi({ answers: 'auto' });
        seed.conversations.forEach((c, i) => fake.seed(c.title, c.messages, 1700000000000 + i * 1000));
        globalThis.tokenplace = fake;`,
      resolveDir: resolve(__dirname, '../..'),
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    logLevel: 'silent',
  }).then((r) => r.outputFiles[0]!.text);
  return bundled;
}

export async function fakeShim(seed: FakeSeed): Promise<string> {
  return `globalThis.__TP_FAKE_SEED__ = ${JSON.stringify(seed)};\n${await bundle()}`;
}
