// The tiny-GGUF fixture command: writes a deterministic file per seed whose metadata carries
// the llama architecture, a BPE vocabulary with merges and a chat template.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TINY_GGUF_CHAT_TEMPLATE, buildTinyGguf } from '../test-support/node/tiny-gguf';

const root = resolve(__dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'tp-tiny-gguf-'));

function fixture(...args: string[]) {
  return spawnSync(join(root, 'node_modules/.bin/tsx'), ['test-support/node/tiny-gguf-cli.ts', ...args], { cwd: root, encoding: 'utf8' });
}

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm run fixture:tiny-gguf', () => {
  const a = join(work, 'a.gguf');

  it('writes the same bytes for the same seed and different weights for another seed', () => {
    const b = join(work, 'b.gguf');
    expect(fixture(a, '--seed', '7', '--context-length', '4096').status).toBe(0);
    const run = fixture(b, '--seed', '7', '--context-length', '4096');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/bytes, vocabulary \d+ tokens \(\d+ merges\), context 4096/);
    const [bytesA, bytesB] = [a, b].map((f) => readFileSync(f));
    const other = buildTinyGguf({ seed: 8, contextLength: 4096 }).bytes;
    expect(bytesA!.subarray(0, 4).toString('latin1')).toBe('GGUF');
    expect(bytesA!.length).toBeGreaterThan(200_000);
    expect(bytesA!.length).toBeLessThan(1_000_000);
    expect(bytesA!.equals(bytesB!)).toBe(true);
    expect(other.length).toBe(bytesA!.length);
    expect(other.equals(bytesA!)).toBe(false);
  });

  it('stores the architecture, context length, tokenizer and chat template as metadata', async () => {
    const { readGgufFileInfo } = await import('node-llama-cpp');
    const { metadata } = await readGgufFileInfo(a, { sourceType: 'filesystem' });
    expect(metadata.general.architecture).toBe('llama');
    const llama = (metadata as unknown as { llama: { context_length: number } }).llama;
    expect(llama.context_length).toBe(4096);
    const tokenizer = metadata.tokenizer as unknown as { ggml: { model: string; tokens: string[]; merges: string[] }; chat_template: string };
    expect(tokenizer.ggml.model).toBe('gpt2');
    expect(tokenizer.ggml.merges.length).toBeGreaterThan(100);
    expect(tokenizer.ggml.tokens).toContain('<|im_end|>');
    expect(tokenizer.chat_template).toBe(TINY_GGUF_CHAT_TEMPLATE);
  });

  it('explains its usage when the output file is missing or an option is unknown', () => {
    for (const args of [[], ['--bogus', join(work, 'y.gguf')]]) {
      const run = fixture(...args);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('Usage: npm run -s fixture:tiny-gguf -- OUT.gguf');
    }
  });
});
