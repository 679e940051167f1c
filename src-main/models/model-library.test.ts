// The models folder: list, import a .gguf file, delete, downloads through the library; and the
// curated catalogue's entries.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectModelError } from '../../test-support/models/expect-error';
import { fakeGgufBytes, startFileServer } from '../../test-support/models/file-server';
import {
  CURATED_MODELS,
  ModelLibrary,
  estimateRamBytes,
  findCatalogueEntry,
  sha256OfFile,
  smallestCatalogueEntry,
} from './index';

let root: string;
let library: ModelLibrary;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tp-library-'));
  library = new ModelLibrary({ dir: join(root, 'models') });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('ModelLibrary', () => {
  it('imports a .gguf file, lists it, and deleting it frees its bytes', async () => {
    const source = join(root, 'My-Model.gguf');
    const bytes = fakeGgufBytes(50_000);
    await writeFile(source, bytes);
    const imported = await library.importFile(source);
    expect(imported).toMatchObject({ fileName: 'My-Model.gguf', sizeBytes: 50_000 });
    expect(await sha256OfFile(imported.path)).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect((await library.list()).models.map((m) => m.fileName)).toEqual(['My-Model.gguf']);
    expect(await library.delete('My-Model.gguf')).toEqual({ freedBytes: 50_000 });
    expect(existsSync(imported.path)).toBe(false);
    expect((await library.list()).models).toEqual([]);
    await expectModelError(library.delete('My-Model.gguf'), 'model_file_not_found');
  });

  it('refuses to import what is not a GGUF model, a missing file, a bad name or a duplicate', async () => {
    const html = join(root, 'page.gguf');
    await writeFile(html, '<html>');
    const err = await expectModelError(library.importFile(html), 'model_file_not_gguf');
    expect(err.message).toContain('not a GGUF model');
    await expectModelError(library.importFile(join(root, 'missing.gguf')), 'model_file_not_found');
    const good = join(root, 'good.gguf');
    await writeFile(good, fakeGgufBytes(1000));
    await expectModelError(library.importFile(good, '../outside.gguf'), 'model_file_invalid_name');
    await expectModelError(library.importFile(good, 'model.bin'), 'model_file_invalid_name');
    await library.importFile(good);
    await expectModelError(library.importFile(good), 'model_file_exists');
    expect((await library.list()).models).toHaveLength(1);
  });

  it('refuses an import that does not fit on the disk', async () => {
    const small = new ModelLibrary({ dir: join(root, 'models'), statfs: async () => ({ bavail: 1, bsize: 4096 }) });
    const source = join(root, 'a.gguf');
    await writeFile(source, fakeGgufBytes(10_000));
    await expectModelError(small.importFile(source), 'model_download_insufficient_space');
    expect((await small.list()).models).toEqual([]);
  });

  it('lists an unfinished download as resumable, and deletes it with its state', async () => {
    const bytes = fakeGgufBytes(128 * 1024);
    const server = await startFileServer(bytes, { chunkBytes: 4096, chunkDelayMs: 10 });
    try {
      let received = 0;
      const task = library.download({ url: server.url }, (p) => (received = p.receivedBytes));
      expect(library.download({ url: server.url })).toBe(task);
      const run = task.run();
      await expect.poll(() => received, { timeout: 10_000, interval: 10 }).toBeGreaterThan(16 * 1024);
      await task.pause();
      await run;
      const { models, partial } = await library.list();
      expect(models).toEqual([]);
      expect(partial).toEqual([{ fileName: 'tiny-model.gguf', receivedBytes: expect.any(Number), totalBytes: 128 * 1024, url: server.url }]);
      const { freedBytes } = await library.delete('tiny-model.gguf');
      expect(freedBytes).toBeGreaterThanOrEqual(partial[0]!.receivedBytes);
      expect(await library.list()).toEqual({ models: [], partial: [] });
    } finally {
      await server.close();
    }
  });
});

describe('curated catalogue', () => {
  it('lists small chat GGUF models with a pinned URL, a SHA-256, a size and a licence', () => {
    expect(CURATED_MODELS.length).toBeGreaterThanOrEqual(3);
    expect(new Set(CURATED_MODELS.map((m) => m.id)).size).toBe(CURATED_MODELS.length);
    for (const m of CURATED_MODELS) {
      const url = new URL(m.url);
      expect(url.protocol, m.id).toBe('https:');
      expect(url.hostname, m.id).toBe('huggingface.co');
      expect(url.pathname, m.id).toMatch(new RegExp(`/resolve/[0-9a-f]{40}/${m.fileName.replaceAll('.', '\\.')}$`));
      expect(m.sha256, m.id).toMatch(/^[0-9a-f]{64}$/);
      expect(m.sizeBytes, m.id).toBeGreaterThan(100_000_000);
      expect(m.licence.url, m.id).toMatch(/^https:\/\//);
      expect(estimateRamBytes(m), m.id).toBeGreaterThan(m.sizeBytes);
      expect(findCatalogueEntry(m.fileName)).toBe(m);
    }
  });

  it('estimates RAM as weights + KV cache for the context + working memory', () => {
    const qwen = findCatalogueEntry('qwen2.5-0.5b-instruct-q4_k_m')!;
    expect(estimateRamBytes(qwen, 4096) - estimateRamBytes(qwen, 2048)).toBe(2048 * qwen.kvCacheBytesPerToken);
    expect(estimateRamBytes(qwen, 10_000_000)).toBe(estimateRamBytes(qwen, qwen.contextLength));
    expect(smallestCatalogueEntry()).toBe(qwen);
  });
});
