// models:* through the backend's edge: the curated list with its facts, a download from a loopback
// file server with progress events, pause/resume/cancel, add from a URL (checksum refused and file
// removed, 404), import of a file main's dialog picked, delete, "use this model", and a download
// left by an earlier run continued by the next one.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LibraryModel, ModelLibrary, ModelsEvent } from '../../src-shared/ipc/contract';
import { openPassphraseSecretStore } from '../storage';
import { createBackend } from './backend';
import { modelFileNameFor, quantizationOfFileName } from './models';
import type { Backend, BackendDeps } from './types';
import { FakeNodeHost, FakeRelayHost } from '../../test-support/backend/fake-hosts';
import { fakeGgufBytes, startFileServer, type FileServer } from '../../test-support/models/file-server';
import { catalogueEntryFor } from '../../test-support/models/tiny-catalogue';

const SIZE = 256 * 1024;
const body = fakeGgufBytes(SIZE, 7);
const FILE = 'tiny-model.gguf';
const dirs: string[] = [];
const backends: Backend[] = [];
let server: FileServer;

beforeEach(async () => {
  server = await startFileServer(body);
});
afterEach(async () => {
  await Promise.all(backends.splice(0).map((b) => b.close()));
  await server.close();
});
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function setup(overrides: Partial<BackendDeps> = {}, dataDir?: string) {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'tp-models-')));
  if (!dataDir) dirs.push(dir);
  const events: ModelsEvent[] = [];
  const nodeHost = new FakeNodeHost();
  const secrets = await openPassphraseSecretStore(join(dir, 'secrets.json'), 'amber otter lantern quartz', { cost: { N: 2 ** 10, r: 8, p: 1 } });
  const backend = await createBackend({
    dataDir: dir,
    secrets,
    relayHost: new FakeRelayHost(),
    nodeHost,
    emit: (channel, payload) => {
      if (channel === 'events:models') events.push(payload as ModelsEvent);
    },
    detectTargets: [],
    modelCatalogue: [catalogueEntryFor(server.url, body)],
    modelDownloads: { stallTimeoutMs: 2000 },
    ...overrides,
  });
  backends.push(backend);
  const call = (channel: string, request: unknown = {}) => backend.handle(channel, request);
  const row = async (fileName = FILE) => ((await call('models:list')) as ModelLibrary).models.find((m) => m.fileName === fileName);
  const until = async (check: () => Promise<boolean>, ms = 10_000) => {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { dir, backend, call, row, until, events, nodeHost };
}

const stateOf = (m: LibraryModel | undefined) => m?.state;

describe('models: the library through IPC', () => {
  it('lists the curated model with size, quantisation, licence and RAM estimate, then downloads it with progress', async () => {
    const { call, row, until, events } = await setup();
    server.behaviour.chunkBytes = 16 * 1024;
    server.behaviour.chunkDelayMs = 20;
    const library = (await call('models:list')) as ModelLibrary;
    expect(library.smallestFileName).toBe(FILE);
    expect(library.freeBytes).toBeGreaterThan(0);
    expect(library.models[0]).toMatchObject({
      fileName: FILE,
      name: 'Tiny Test Model',
      quantization: 'F32',
      sizeBytes: SIZE,
      licence: { name: 'MIT' },
      state: 'available',
      inUse: false,
    });
    expect(library.models[0]!.ramEstimateBytes).toBeGreaterThan(SIZE);

    const started = (await call('models:download', { fileName: FILE })) as ModelLibrary;
    expect(started.models[0]!.state).toBe('downloading');
    await until(async () => stateOf(await row()) === 'installed');
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress.length).toBeGreaterThan(1);
    const last = progress.at(-1) as Extract<ModelsEvent, { type: 'progress' }>;
    expect(last.progress).toMatchObject({ receivedBytes: SIZE, totalBytes: SIZE });
    expect(progress.some((e) => e.type === 'progress' && e.progress.bytesPerSecond > 0)).toBe(true);
    await until(async () => events.some((e) => e.type === 'library' && e.library.models[0]!.state === 'installed'));
  });

  it('pauses, resumes with a range request and cancels (the partial file is deleted)', async () => {
    const { call, row, until, dir } = await setup();
    server.behaviour.chunkBytes = 8 * 1024;
    server.behaviour.chunkDelayMs = 30;
    await call('models:download', { fileName: FILE });
    await until(async () => ((await row())?.progress?.receivedBytes ?? 0) > 0);
    expect(stateOf((await call('models:pause', { fileName: FILE })) as never) ?? 'paused').toBe('paused');
    await until(async () => stateOf(await row()) === 'paused');
    const kept = (await row())!.progress!.receivedBytes;
    expect(kept).toBeGreaterThan(0);
    server.behaviour.chunkDelayMs = 0;
    await call('models:resume', { fileName: FILE });
    await until(async () => stateOf(await row()) === 'installed');
    expect(server.requests.at(-1)!.range).toMatch(/^bytes=\d+-$/);

    await call('models:delete', { fileName: FILE });
    server.behaviour.chunkDelayMs = 40;
    await call('models:download', { fileName: FILE });
    await until(async () => ((await row())?.progress?.receivedBytes ?? 0) > 0);
    await call('models:cancel', { fileName: FILE });
    await until(async () => stateOf(await row()) === 'available');
    expect((await readdir(join(dir, 'models'))).filter((f) => f.startsWith(FILE))).toEqual([]);
    await expect(call('models:cancel', { fileName: FILE })).rejects.toMatchObject({ code: 'model_download_not_running' });
  });

  it('adds from a URL: a checksum mismatch is refused and the file removed; a 404 is said in plain words', async () => {
    const { call, row, until, dir } = await setup({ modelCatalogue: [] });
    await call('models:addFromUrl', { url: server.url, sha256: 'A'.repeat(64) });
    await until(async () => stateOf(await row()) === 'failed');
    const failed = (await row())!;
    expect(failed.error).toMatch(/does not match its published SHA-256 checksum, so it was deleted/);
    expect(failed.resumable).toBe(false);
    expect(existsSync(join(dir, 'models', FILE))).toBe(false);
    expect(existsSync(join(dir, 'models', `${FILE}.part`))).toBe(false);
    await call('models:cancel', { fileName: FILE });
    expect(await row()).toBeUndefined();

    server.behaviour.status = 404;
    await call('models:addFromUrl', { url: server.url });
    await until(async () => stateOf(await row()) === 'failed');
    expect((await row())!.error).toMatch(/404/);

    server.behaviour.status = undefined;
    await call('models:resume', { fileName: FILE });
    await until(async () => stateOf(await row()) === 'installed');
    expect((await row())!).toMatchObject({ sizeBytes: SIZE, name: 'tiny-model', inUse: false });
  });

  it('refuses bad requests at the edge, naming what is wrong', async () => {
    const { call } = await setup();
    await expect(call('models:addFromUrl', { url: server.url, sha256: 'abc' })).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringContaining('64 hexadecimal characters'),
    });
    await expect(call('models:addFromUrl', { url: 'ftp://example.org/a.gguf' })).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('http://') });
    await expect(call('models:delete', { fileName: '../secrets.json' })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(call('models:download', { fileName: 'other.gguf' })).rejects.toMatchObject({ code: 'model_file_not_found', message: expect.stringContaining('Add it from its URL') });
    await expect(call('models:use', { fileName: FILE })).rejects.toMatchObject({ code: 'model_file_not_found', message: expect.stringContaining('Download or import it first') });
  });

  it('imports the file main’s dialog picked (none when cancelled), refuses a non-GGUF file', async () => {
    const source = await mkdtemp(join(tmpdir(), 'tp-models-src-'));
    dirs.push(source);
    const picked: (string | undefined)[] = [];
    const { call } = await setup({ chooseModelFile: async () => picked.shift() });
    await writeFile(join(source, 'My model (v2).gguf'), body);
    await writeFile(join(source, 'notes.gguf'), 'not a model');
    picked.push(undefined, join(source, 'My model (v2).gguf'), join(source, 'notes.gguf'));
    expect(((await call('models:import')) as { imported?: string }).imported).toBeUndefined();
    const imported = (await call('models:import')) as { imported: string; library: ModelLibrary };
    expect(imported.imported).toBe('My-model-v2-.gguf');
    expect(imported.library.models.find((m) => m.fileName === 'My-model-v2-.gguf')).toMatchObject({ state: 'installed', sizeBytes: SIZE });
    await expect(call('models:import')).rejects.toMatchObject({ code: 'model_file_not_gguf', message: expect.stringContaining('not a GGUF model') });
  });

  it('uses a model on this computer’s node, refuses to delete it while served, and delete frees its space', async () => {
    const { call, row, until, nodeHost, dir } = await setup();
    await call('models:download', { fileName: FILE });
    await until(async () => stateOf(await row()) === 'installed');
    const status = (await call('models:use', { fileName: FILE })) as { state: string; config: { provider: string; model: string; modelFile: string } };
    expect(status.config).toMatchObject({ provider: 'local', model: 'tiny-model', modelFile: join(dir, 'models', FILE) });
    expect(nodeHost.configs.at(-1)).toMatchObject({ provider: 'local', model: 'tiny-model', modelFile: join(dir, 'models', FILE) });
    expect((await row())!.inUse).toBe(true);
    await expect(call('models:delete', { fileName: FILE })).rejects.toMatchObject({ code: 'model_in_use', message: expect.stringContaining('Choose another model') });

    // The engine sizing the user chose stays when a model is (re)chosen from the library.
    await call('node:configure', { provider: 'local', model: 'tiny-model', modelFile: join(dir, 'models', FILE), contextSize: 512, threads: 1 });
    await call('models:use', { fileName: FILE });
    expect(nodeHost.configs.at(-1)).toMatchObject({ provider: 'local', modelFile: join(dir, 'models', FILE), contextSize: 512, threads: 1 });
    await call('node:configure', { provider: 'test', model: 'test-model' });
    expect(await call('models:delete', { fileName: FILE })).toMatchObject({ freedBytes: SIZE });
    expect(stateOf(await row())).toBe('available');
    await expect(call('models:delete', { fileName: FILE })).rejects.toMatchObject({ code: 'model_file_not_found' });
  });

  it('a download left by a run that ended is listed as paused and continued by the next run', async () => {
    const first = await setup();
    server.behaviour.chunkBytes = 8 * 1024;
    server.behaviour.chunkDelayMs = 30;
    await first.call('models:download', { fileName: FILE });
    await first.until(async () => ((await first.row())?.progress?.receivedBytes ?? 0) > 16 * 1024);
    await backends.pop()!.close();

    const next = await setup({}, first.dir);
    const left = (await next.row())!;
    expect(left.state).toBe('paused');
    expect(left.progress!.receivedBytes).toBeGreaterThan(0);
    server.behaviour.chunkDelayMs = 0;
    await next.call('models:resume', { fileName: FILE });
    await next.until(async () => stateOf(await next.row()) === 'installed');
    expect(server.requests.at(-1)!.range).toBe(`bytes=${left.progress!.receivedBytes}-`);
  });
});

describe('models: names', () => {
  it('reads the quantisation from llama.cpp file names and makes safe file names', () => {
    expect(quantizationOfFileName('Qwen2.5-0.5B-Instruct-Q4_K_M.gguf')).toBe('Q4_K_M');
    expect(quantizationOfFileName('model.f16.gguf')).toBe('F16');
    expect(quantizationOfFileName('tiny-model.gguf')).toBeUndefined();
    expect(modelFileNameFor('My model (v2).GGUF')).toBe('My-model-v2-.gguf');
    expect(modelFileNameFor('...gguf')).toBe('model.gguf');
  });
});
