// The downloader against a loopback file server: resume with ranges (also after the process
// was killed), checksum, HTTP errors, stalls, a full disk, a server without range support.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeGgufBytes, startFileServer, type FileServer } from '../../test-support/models/file-server';
import { expectModelError } from '../../test-support/models/expect-error';
import { ModelDownload, ModelLibrary, openFileSink, type DownloadOptions, type DownloadProgress } from './index';

const SIZE = 256 * 1024;
const body = fakeGgufBytes(SIZE);
const sha256 = createHash('sha256').update(body).digest('hex');
const FILE = 'tiny-model.gguf';

let dir: string;
let server: FileServer;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tp-download-'));
  server = await startFileServer(body);
});

afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

function download(over: Partial<DownloadOptions> = {}, spec: { sha256?: string; sizeBytes?: number } = { sha256 }) {
  return new ModelDownload({ url: server.url, ...spec }, { dir, progressIntervalMs: 0, ...over });
}


const partial = () => join(dir, `${FILE}.part`);
const LOCK_STALE_MS = 2_000;

/**
 * A killed process cannot release its download lock: it is taken over once stale (download-lock.ts).
 * Stale counts from the lock's mtime, which proper-lockfile may set up to a second ahead of the
 * clock (it probes the file system's precision on the next whole second), so wait from that.
 */
async function untilLockStale(): Promise<void> {
  const mtimeMs = (await stat(join(dir, `${FILE}.lock`))).mtimeMs;
  const waitMs = mtimeMs + LOCK_STALE_MS + 100 - Date.now();
  if (waitMs > 0) await new Promise((done) => setTimeout(done, waitMs));
}
const stateFile = () => join(dir, `${FILE}.download.json`);

/** Starts a slow download (4 KB every 10 ms) and waits until `bytes` have arrived. */
async function startSlowly(bytes: number) {
  server.behaviour.chunkBytes = 4 * 1024;
  server.behaviour.chunkDelayMs = 10;
  let received = 0;
  const task = download({ onProgress: (p) => (received = p.receivedBytes) });
  const running = task.run();
  await expect.poll(() => received, { timeout: 10_000, interval: 10 }).toBeGreaterThanOrEqual(bytes);
  return { task, running };
}

describe('ModelDownload', () => {
  it('downloads, reports progress, verifies the checksum and only then names the file', async () => {
    server.behaviour.chunkBytes = 16 * 1024;
    server.behaviour.chunkDelayMs = 5;
    const progress: DownloadProgress[] = [];
    const task = download({ onProgress: (p) => progress.push(p) }, { sha256, sizeBytes: SIZE });
    const result = await task.run();
    expect(result).toMatchObject({ fileName: FILE, sizeBytes: SIZE, sha256, resumedFromBytes: 0, restartedFromZero: false });
    expect(readFileSync(join(dir, FILE)).equals(body)).toBe(true);
    expect(existsSync(partial())).toBe(false);
    expect(existsSync(stateFile())).toBe(false);
    expect(task.status).toBe('done');
    const received = progress.map((p) => p.receivedBytes);
    expect(received).toEqual([...received].sort((a, b) => a - b));
    expect(progress.length).toBeGreaterThan(4);
    expect(progress.at(-1)).toMatchObject({ receivedBytes: SIZE, totalBytes: SIZE, secondsLeft: 0 });
    expect(progress.some((p) => p.bytesPerSecond > 0 && p.secondsLeft !== undefined && p.secondsLeft > 0)).toBe(true);
  });

  it('pauses, keeps the partial file, and resumes with a range request', async () => {
    const { task, running: first } = await startSlowly(32 * 1024);
    await task.pause();
    expect(await first).toBeUndefined();
    expect(task.status).toBe('paused');
    const kept = (await stat(partial())).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(SIZE);
    server.behaviour.chunkDelayMs = 0;
    const result = await task.run();
    expect(result).toMatchObject({ sha256, resumedFromBytes: kept, restartedFromZero: false });
    expect(server.requests[1]).toMatchObject({ range: `bytes=${kept}-`, ifRange: '"v1"', status: 206, bodyBytes: SIZE - kept });
    expect(readFileSync(join(dir, FILE)).equals(body)).toBe(true);
  });

  it('resumes in a new process after the downloading process was killed', async () => {
    server.behaviour.chunkBytes = 4 * 1024;
    server.behaviour.chunkDelayMs = 20;
    const root = resolve(__dirname, '../..');
    // Node itself with tsx's loader (the tsx command would be a parent process that a kill misses).
    const child = spawn(process.execPath, ['--import', 'tsx', 'test-support/models/download-child.ts', server.url, dir, sha256], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
    await new Promise<void>((done, fail) => {
      let buffered = '';
      child.stdout.on('data', (data: Buffer) => {
        buffered += data.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          const received = (JSON.parse(line) as { receivedBytes?: number }).receivedBytes ?? 0;
          if (received >= 40 * 1024) {
            child.kill('SIGKILL');
            done();
          }
        }
      });
      child.on('exit', () => fail(new Error('the child ended before it was killed')));
    });
    expect(await exited).toBe('SIGKILL');
    const kept = (await stat(partial())).size;
    expect(kept).toBeGreaterThanOrEqual(40 * 1024);
    expect(kept).toBeLessThan(SIZE);
    expect(existsSync(stateFile())).toBe(true);
    server.behaviour.chunkDelayMs = 0;
    await untilLockStale();
    const result = await download({ lockStaleMs: LOCK_STALE_MS }).run();
    expect(result).toMatchObject({ sha256, resumedFromBytes: kept });
    expect(server.requests.at(-1)).toMatchObject({ range: `bytes=${kept}-`, status: 206, bodyBytes: SIZE - kept });
    expect(readFileSync(join(dir, FILE)).equals(body)).toBe(true);
  });

  it('refuses a second process while one downloads the file, then takes over once the first was killed', async () => {
    // 64 chunks 100 ms apart: the child is still downloading while this process tries.
    server.behaviour.chunkBytes = 4 * 1024;
    server.behaviour.chunkDelayMs = 100;
    const child = spawn(process.execPath, ['--import', 'tsx', 'test-support/models/download-child.ts', server.url, dir, sha256], {
      cwd: resolve(__dirname, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
    let childReceived = 0;
    child.stdout.on('data', (data: Buffer) => {
      for (const line of data.toString().split('\n').filter(Boolean)) childReceived = Math.max(childReceived, (JSON.parse(line) as { receivedBytes?: number }).receivedBytes ?? 0);
    });
    try {
      await expect.poll(() => childReceived, { timeout: 20_000, interval: 20 }).toBeGreaterThanOrEqual(16 * 1024);
      const requestsBefore = server.requests.length;
      const refused = await expectModelError(download({ lockStaleMs: LOCK_STALE_MS }).run(), 'model_download_locked');
      expect(refused.message).toBe(`${FILE} is already being downloaded by another token.place. Let that download finish (or close the other token.place), then try again.`);
      expect(server.requests.length).toBe(requestsBefore); // refused before asking the server
      // Nor may this process delete what the other one is writing.
      await expectModelError(new ModelLibrary({ dir }).delete(FILE), 'model_download_locked');
      await expectModelError(download({ lockStaleMs: LOCK_STALE_MS }).cancel().then(() => undefined), 'model_download_locked');
      expect(existsSync(partial())).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
    expect(await exited).toBe('SIGKILL');
    const kept = (await stat(partial())).size;
    // The killed process's lock is taken over once it is stale, and the download continues here.
    await untilLockStale();
    server.behaviour.chunkDelayMs = 0;
    const result = await download({ lockStaleMs: LOCK_STALE_MS }).run();
    expect(result).toMatchObject({ sha256, resumedFromBytes: kept });
    expect(readFileSync(join(dir, FILE)).equals(body)).toBe(true);
    expect(existsSync(join(dir, `${FILE}.lock`))).toBe(false);
  });

  it('refuses and deletes a file whose checksum does not match', async () => {
    const wrong = createHash('sha256').update('another file').digest('hex');
    const err = await expectModelError(download({}, { sha256: wrong }).run(), 'model_download_checksum_mismatch');
    expect(err.message).toContain('deleted');
    expect(existsSync(join(dir, FILE))).toBe(false);
    expect(existsSync(partial())).toBe(false);
    expect(existsSync(stateFile())).toBe(false);
  });

  it('says so when the file is not on the server (404) or the server fails (500)', async () => {
    server.behaviour.status = 404;
    const notFound = await expectModelError(download().run(), 'model_download_not_found');
    expect(notFound).toMatchObject({ details: { status: 404 } });
    server.behaviour.status = 500;
    const failed = await expectModelError(download().run(), 'model_download_http_error');
    expect(failed.message).toContain('HTTP 500');
    expect(existsSync(join(dir, FILE))).toBe(false);
  });

  it('gives up on a stalled server with a timeout, keeps the bytes, and resumes later', async () => {
    server.behaviour.chunkBytes = 8 * 1024;
    server.behaviour.stallAfterBytes = 64 * 1024;
    const task = download({ stallTimeoutMs: 300 });
    const err = await expectModelError(task.run(), 'model_download_timeout');
    expect(err.message).toContain('resume');
    expect(task.status).toBe('failed');
    expect(task.error?.resumable).toBe(true);
    expect((await stat(partial())).size).toBe(64 * 1024);
    server.behaviour.stallAfterBytes = undefined;
    expect(await task.run()).toMatchObject({ sha256, resumedFromBytes: 64 * 1024 });
  });

  it('stops with a disk-full error when the disk fills up, keeping what was written', async () => {
    server.behaviour.chunkBytes = 16 * 1024;
    let written = 0;
    const fullAfter = 100 * 1024;
    const task = download({
      openSink: async (path, mode) => {
        const real = await openFileSink(path, mode);
        return {
          ...real,
          write: async (chunk) => {
            if (written + chunk.length > fullAfter) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
            written += chunk.length;
            await real.write(chunk);
          },
        };
      },
    });
    const err = await expectModelError(task.run(), 'model_download_disk_full');
    expect(err.message).toContain('Free up space');
    expect((await stat(partial())).size).toBe(written);
    expect(existsSync(join(dir, FILE))).toBe(false);
  });

  it('checks free space before asking the server for anything', async () => {
    const err = await expectModelError(download({ statfs: async () => ({ bavail: 10, bsize: 4096 }) }, { sha256, sizeBytes: SIZE }).run(), 'model_download_insufficient_space');
    expect(err).toMatchObject({ details: { neededBytes: SIZE, availableBytes: 40960 } });
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a file whose size differs from the expected one before downloading it', async () => {
    await expectModelError(download({}, { sha256, sizeBytes: SIZE + 1 }).run(), 'model_download_size_mismatch');
    expect(existsSync(partial())).toBe(false);
  });

  it('without range support: refuses to pause, and a resumed download starts over', async () => {
    server.behaviour.ranges = false;
    const { task, running } = await startSlowly(16 * 1024);
    await expectModelError(task.pause(), 'model_download_range_unsupported');
    expect(task.status).toBe('running');
    server.behaviour.chunkDelayMs = 0;
    expect(await running).toMatchObject({ sha256, restartedFromZero: false });
  });

  it('starts over when the server answers a range request with the whole file', async () => {
    const { task, running: first } = await startSlowly(16 * 1024);
    await task.pause();
    await first;
    server.behaviour.ranges = false; // e.g. a mirror without range support
    server.behaviour.chunkDelayMs = 0;
    const result = await task.run();
    expect(result).toMatchObject({ sha256, resumedFromBytes: 0, restartedFromZero: true });
    expect(server.requests.at(-1)).toMatchObject({ status: 200, bodyBytes: SIZE });
    expect(readFileSync(join(dir, FILE)).equals(body)).toBe(true);
  });

  it('cancels: the partial file and its state are deleted', async () => {
    const { task, running } = await startSlowly(16 * 1024);
    await task.cancel();
    await expectModelError(running, 'model_download_cancelled');
    expect(task.status).toBe('cancelled');
    expect(existsSync(partial())).toBe(false);
    expect(existsSync(stateFile())).toBe(false);
  });

  it('refuses a file that is not GGUF, and bad URLs, names and checksums', async () => {
    server.setBody(Buffer.from('<html>not a model</html>'));
    await expectModelError(download({}, {}).run(), 'model_file_not_gguf');
    expect(existsSync(join(dir, FILE))).toBe(false);
    expect(() => new ModelDownload({ url: 'ftp://example.org/a.gguf' }, { dir })).toThrow(/http/);
    expect(() => new ModelDownload({ url: 'not a url' }, { dir })).toThrow(/valid URL/);
    expect(() => new ModelDownload({ url: server.url, fileName: '../evil.gguf' }, { dir })).toThrow(/file name/);
    expect(() => new ModelDownload({ url: `${server.url.replace('.gguf', '.bin')}` }, { dir })).toThrow(/\.gguf/);
    expect(() => new ModelDownload({ url: server.url, sha256: 'abc' }, { dir })).toThrow(/64 hexadecimal/);
  });

  it('does not run twice at once and does not overwrite a finished model', async () => {
    server.behaviour.chunkBytes = 16 * 1024;
    server.behaviour.chunkDelayMs = 5;
    const task = download();
    const running = task.run();
    await expectModelError(task.run(), 'model_download_in_progress');
    await running;
    await expectModelError(download().run(), 'model_file_exists');
  });
});
