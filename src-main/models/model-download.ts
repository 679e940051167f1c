// One model download into the models folder: free-space check first, progress, pause and
// resume with HTTP range requests (also after the process was killed: the partial file and a
// small state file stay on disk), cancel, and a SHA-256 check before the file gets its real name.
import { createHash } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { downloadLockedError, lockDownload, withDownloadLock } from './download-lock';
import { readDownloadState, newDownloadState, removeDownloadState, writeDownloadState } from './download-state';
import { SpeedMeter, progressOf, type DownloadProgress } from './download-progress';
import { ModelLibraryError, formatBytes, isModelLibraryError } from './errors';
import { advertisesRanges, contentLength, parseContentRange, rangeValidator } from './http-response';
import {
  PARTIAL_SUFFIX,
  STATE_SUFFIX,
  checkModelFileName,
  ensureFreeSpace,
  fileNameFromUrl,
  hasGgufMagic,
  hashFileInto,
  type StatFs,
} from './model-file';

export interface DownloadSpec {
  url: string;
  /** Name in the models folder (default: the last part of the URL's path). */
  fileName?: string;
  /** Expected SHA-256 (hex). Curated models always have one; a file that differs is refused. */
  sha256?: string;
  /** Expected size: checked against the server's and used for the free-space check up front. */
  sizeBytes?: number;
}

/** Where the bytes go; injectable so tests can simulate a full disk. */
export interface FileSink {
  write(chunk: Uint8Array): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}
export type OpenSink = (path: string, mode: 'append' | 'truncate') => Promise<FileSink>;

export const openFileSink: OpenSink = async (path, mode) => {
  const handle = await open(path, mode === 'append' ? 'a' : 'w');
  return {
    write: async (chunk) => {
      let written = 0;
      while (written < chunk.length) written += (await handle.write(chunk, written)).bytesWritten;
    },
    sync: () => handle.sync(),
    close: () => handle.close(),
  };
};

export interface DownloadOptions {
  /** The models folder. */
  dir: string;
  onProgress?: (progress: DownloadProgress) => void;
  /** Give up when no byte arrives for this long (default 30 s); the partial file is kept. */
  stallTimeoutMs?: number;
  /** Least time between two progress reports (default 250 ms; the last one always comes). */
  progressIntervalMs?: number;
  fetch?: typeof fetch;
  openSink?: OpenSink;
  statfs?: StatFs;
  /** The cross-process download lock goes stale after this long without a refresh (default 10 s). */
  lockStaleMs?: number;
}

export interface DownloadedModel {
  fileName: string;
  path: string;
  sizeBytes: number;
  sha256: string;
  /** Bytes that were kept from an earlier run. */
  resumedFromBytes: number;
  /** The server ignored the range request, so the download started over. */
  restartedFromZero: boolean;
}

export type DownloadStatus = 'idle' | 'running' | 'paused' | 'done' | 'failed' | 'cancelled';

const SHA256_HEX = /^[0-9a-f]{64}$/;
const DEFAULT_STALL_TIMEOUT_MS = 30_000;

type StopReason = 'pause' | 'cancel';

export class ModelDownload {
  readonly fileName: string;
  /** Where the finished model will be. */
  readonly path: string;
  private readonly partialPath: string;
  private readonly statePath: string;
  private readonly url: URL;
  private readonly sha256: string | undefined;
  private readonly expectedBytes: number | undefined;
  private current: { controller: AbortController; done: Promise<unknown>; stop?: StopReason } | undefined;
  private statusValue: DownloadStatus = 'idle';
  private lastProgress: DownloadProgress = progressOf(0, undefined, 0, 0);
  private lastError: ModelLibraryError | undefined;
  /** Learnt from the server's first answer of a run; a pause is refused when it is false. */
  private rangeSupported: boolean | undefined;
  /** This run holds the cross-process download lock (download-lock.ts). */
  private holdsLock = false;

  constructor(
    spec: DownloadSpec,
    private readonly options: DownloadOptions,
  ) {
    let url: URL;
    try {
      url = new URL(spec.url);
    } catch {
      throw new ModelLibraryError('model_download_invalid_url', 'The download address is not a valid URL. Check it and try again.');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new ModelLibraryError('model_download_invalid_url', 'Only http:// and https:// download addresses are supported.');
    }
    if (spec.sha256 !== undefined && !SHA256_HEX.test(spec.sha256.toLowerCase())) {
      throw new ModelLibraryError('model_download_invalid_checksum', 'The SHA-256 checksum must be 64 hexadecimal characters.');
    }
    this.url = url;
    this.sha256 = spec.sha256?.toLowerCase();
    this.expectedBytes = spec.sizeBytes;
    this.fileName = spec.fileName !== undefined ? checkModelFileName(spec.fileName) : fileNameFromUrl(url);
    this.path = join(options.dir, this.fileName);
    this.partialPath = this.path + PARTIAL_SUFFIX;
    this.statePath = this.path + STATE_SUFFIX;
  }

  get status(): DownloadStatus {
    return this.statusValue;
  }

  get progress(): DownloadProgress {
    return this.lastProgress;
  }

  /** The failure of the last run, if it failed. */
  get error(): ModelLibraryError | undefined {
    return this.lastError;
  }

  /**
   * Downloads (or continues) the file. Resolves with the finished model, or with undefined when
   * paused; rejects with a ModelLibraryError (`model_download_cancelled` after cancel()).
   */
  run(): Promise<DownloadedModel | undefined> {
    if (this.current) {
      return Promise.reject(new ModelLibraryError('model_download_in_progress', `${this.fileName} is already downloading.`));
    }
    const controller = new AbortController();
    const run = { controller, done: Promise.resolve() as Promise<unknown>, stop: undefined as StopReason | undefined };
    this.current = run;
    this.statusValue = 'running';
    this.lastError = undefined;
    const done = this.attempt(controller.signal).then(
      (model) => {
        this.statusValue = 'done';
        return model;
      },
      async (err: unknown) => {
        if (run.stop === 'pause') {
          this.statusValue = 'paused';
          return undefined;
        }
        if (run.stop === 'cancel') {
          // Another process may have taken the file over since: its partial file is not ours to remove.
          await this.removePartial().catch((e: unknown) => {
            if (!isModelLibraryError(e, 'model_download_locked')) throw e;
          });
          this.statusValue = 'cancelled';
          throw new ModelLibraryError('model_download_cancelled', 'The download was cancelled.', { receivedBytes: this.lastProgress.receivedBytes });
        }
        this.statusValue = 'failed';
        this.lastError = asDownloadError(err);
        throw this.lastError;
      },
    );
    run.done = done.finally(() => {
      this.current = undefined;
    });
    return run.done as Promise<DownloadedModel | undefined>;
  }

  /** Stops and keeps what arrived; run() continues later. Refused when the server cannot resume. */
  async pause(): Promise<void> {
    const run = this.current;
    if (!run) return;
    if (this.rangeSupported === false) {
      throw new ModelLibraryError(
        'model_download_range_unsupported',
        'This server cannot resume downloads, so pausing would lose what has been downloaded. Let it finish, or cancel it.',
      );
    }
    run.stop = 'pause';
    run.controller.abort();
    await run.done.catch(() => undefined);
  }

  /** Stops and deletes the partial file. */
  async cancel(): Promise<void> {
    const run = this.current;
    if (!run) {
      await this.removePartial();
      this.statusValue = 'cancelled';
      return;
    }
    run.stop = 'cancel';
    run.controller.abort();
    await run.done.catch(() => undefined);
  }

  /** Removes what arrived, under the download lock (the run's own, or taken for it). */
  private async removePartial(): Promise<void> {
    const remove = async () => {
      await rm(this.partialPath, { force: true });
      await removeDownloadState(this.statePath);
    };
    if (this.holdsLock) await remove();
    else await withDownloadLock(this.path, this.fileName, remove, this.options.lockStaleMs);
  }

  /** Holds the cross-process lock on this file (download-lock.ts) while it downloads. */
  private async attempt(signal: AbortSignal): Promise<DownloadedModel> {
    await mkdir(this.options.dir, { recursive: true });
    const lost = new AbortController();
    const release = await lockDownload(this.path, this.fileName, { ...(this.options.lockStaleMs !== undefined && { staleMs: this.options.lockStaleMs }), onLost: () => lost.abort() });
    this.holdsLock = true;
    try {
      return await this.attemptLocked(AbortSignal.any([signal, lost.signal]));
    } catch (err) {
      if (lost.signal.aborted && !signal.aborted) throw downloadLockedError(this.fileName);
      throw err;
    } finally {
      this.holdsLock = false;
      await release();
    }
  }

  private async attemptLocked(signal: AbortSignal): Promise<DownloadedModel> {
    if (await exists(this.path)) {
      throw new ModelLibraryError('model_file_exists', `${this.fileName} is already in the models folder. Delete it first to download it again.`);
    }
    const saved = await readDownloadState(this.statePath);
    const canContinue = saved !== undefined && saved.url === this.url.href && saved.sha256 === this.sha256 && saved.rangeSupported;
    // Without a checksum or a validator a continued file could mix two versions: start over.
    const offset = canContinue && (this.sha256 !== undefined || saved.validator !== undefined) ? await sizeIfExists(this.partialPath) : 0;
    if (this.expectedBytes !== undefined) await ensureFreeSpace(this.options.dir, Math.max(0, this.expectedBytes - offset), this.options.statfs);
    return this.transfer(signal, offset, offset > 0 ? saved?.validator : undefined);
  }

  private async transfer(signal: AbortSignal, offset: number, validator: string | undefined): Promise<DownloadedModel> {
    const stall = new AbortController();
    const stallMs = this.options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
    let stallTimer = setTimeout(() => stall.abort(), stallMs);
    const resetStall = (): void => {
      clearTimeout(stallTimer);
      stallTimer = setTimeout(() => stall.abort(), stallMs);
    };
    const both = AbortSignal.any([signal, stall.signal]);
    const failure = (err: unknown): unknown => (stall.signal.aborted && !signal.aborted ? timeoutError(stallMs, this.lastProgress.receivedBytes) : err);
    try {
      const hash = createHash('sha256');
      if (offset > 0) await hashFileInto(hash, this.partialPath, signal);
      const headers: Record<string, string> = {};
      if (offset > 0) {
        headers.range = `bytes=${offset}-`;
        if (validator) headers['if-range'] = validator;
      }
      const response = await (this.options.fetch ?? fetch)(this.url, { headers, signal: both, redirect: 'follow' }).catch((err: unknown) => {
        throw failure(err);
      });
      const { totalBytes, restarted } = this.readAnswer(response, offset);
      // A 200 to a range request: the whole file again (no range support, or it changed).
      return await this.receive(response, both, resetStall, failure, restarted ? createHash('sha256') : hash, restarted ? 0 : offset, totalBytes, restarted);
    } finally {
      clearTimeout(stallTimer);
    }
  }

  /** Checks the status line and headers; returns the total size and whether it starts at 0. */
  private readAnswer(response: Response, offset: number): { totalBytes: number | undefined; restarted: boolean } {
    if (response.status === 404 || response.status === 410) {
      throw new ModelLibraryError('model_download_not_found', 'The model file was not found on the server (HTTP 404). The link may be outdated.', {
        status: response.status,
      });
    }
    if (response.status === 416 && offset > 0) {
      // Our range no longer fits the file on the server: treat as a changed file.
      throw new ModelLibraryError('model_download_http_error', 'The server no longer has the file this download started with. Cancel it and download again.', {
        status: response.status,
      });
    }
    if (response.status !== 200 && response.status !== 206) {
      const hint =
        response.status === 401 || response.status === 403
          ? 'The server refused access; the model may need a login or the link may have expired.'
          : response.status >= 500
            ? 'The server has a problem; try again later.'
            : 'Check the link.';
      throw new ModelLibraryError('model_download_http_error', `The download failed (HTTP ${response.status}). ${hint}`, { status: response.status });
    }
    let totalBytes: number | undefined;
    let restarted = false;
    if (response.status === 206) {
      const range = parseContentRange(response.headers.get('content-range'));
      if (!range || range.start !== offset) {
        throw new ModelLibraryError('model_download_http_error', 'The server answered the resume request with the wrong part of the file. Cancel the download and start it again.', {
          status: 206,
        });
      }
      totalBytes = range.totalBytes;
      this.rangeSupported = true;
    } else {
      totalBytes = contentLength(response.headers);
      restarted = offset > 0;
      this.rangeSupported = advertisesRanges(response.headers);
    }
    if (this.expectedBytes !== undefined && totalBytes !== undefined && totalBytes !== this.expectedBytes) {
      throw new ModelLibraryError(
        'model_download_size_mismatch',
        `The server offers a file of ${formatBytes(totalBytes)}, but this model is ${formatBytes(this.expectedBytes)}. The link points at a different file.`,
        { expectedBytes: this.expectedBytes, actualBytes: totalBytes },
      );
    }
    return { totalBytes, restarted };
  }

  private async receive(
    response: Response,
    signal: AbortSignal,
    resetStall: () => void,
    failure: (err: unknown) => unknown,
    hash: ReturnType<typeof createHash>,
    offset: number,
    totalBytes: number | undefined,
    restartedFromZero: boolean,
  ): Promise<DownloadedModel> {
    if (this.expectedBytes === undefined && totalBytes !== undefined) {
      await ensureFreeSpace(this.options.dir, totalBytes - offset, this.options.statfs);
    }
    await writeDownloadState(
      this.statePath,
      newDownloadState({ url: this.url.href, sha256: this.sha256, totalBytes, validator: rangeValidator(response.headers), rangeSupported: this.rangeSupported === true }),
    );
    const sink = await (this.options.openSink ?? openFileSink)(this.partialPath, offset > 0 ? 'append' : 'truncate');
    const meter = new SpeedMeter();
    const interval = this.options.progressIntervalMs ?? 250;
    let received = offset;
    let lastReport = -Infinity;
    const report = (force: boolean): void => {
      const speed = meter.record(received - offset);
      if (!force && performance.now() - lastReport < interval) return;
      lastReport = performance.now();
      this.lastProgress = progressOf(received, totalBytes, speed, offset);
      this.options.onProgress?.(this.lastProgress);
    };
    report(true);
    try {
      if (!response.body) throw new ModelLibraryError('model_download_network_error', 'The server sent no data. Try again.');
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        if (signal.aborted) throw signal.reason;
        resetStall();
        await writeChunk(sink, chunk, received);
        hash.update(chunk);
        received += chunk.length;
        report(false);
      }
      await sink.sync();
    } catch (err) {
      report(true);
      throw failure(err);
    } finally {
      await sink.close();
    }
    report(true);
    if (totalBytes !== undefined && received !== totalBytes) {
      throw new ModelLibraryError('model_download_network_error', 'The connection closed before the whole file arrived. Resume the download to continue.', {
        expectedBytes: totalBytes,
        receivedBytes: received,
      });
    }
    return this.finish(hash.digest('hex'), received, offset, restartedFromZero);
  }

  /** Verifies the finished bytes; only a verified GGUF gets its real name. */
  private async finish(sha256: string, sizeBytes: number, resumedFromBytes: number, restartedFromZero: boolean): Promise<DownloadedModel> {
    if (this.sha256 !== undefined && sha256 !== this.sha256) {
      await this.removePartial();
      throw new ModelLibraryError(
        'model_download_checksum_mismatch',
        'The downloaded file does not match its published SHA-256 checksum, so it was deleted. Try the download again; if it fails again, the file on the server has changed.',
      );
    }
    if (!(await hasGgufMagic(this.partialPath))) {
      await this.removePartial();
      throw new ModelLibraryError('model_file_not_gguf', 'The downloaded file is not a GGUF model, so it was deleted. Check the link.');
    }
    await rename(this.partialPath, this.path);
    await removeDownloadState(this.statePath);
    return { fileName: this.fileName, path: this.path, sizeBytes, sha256, resumedFromBytes, restartedFromZero };
  }
}

async function writeChunk(sink: FileSink, chunk: Uint8Array, receivedBytes: number): Promise<void> {
  try {
    await sink.write(chunk);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      throw new ModelLibraryError(
        'model_download_disk_full',
        'The disk is full. Free up space, then resume the download; what has arrived so far is kept.',
        { receivedBytes },
        { cause: err },
      );
    }
    throw new ModelLibraryError('model_download_write_failed', 'The model file could not be written to the models folder. Check that the folder is writable.', { receivedBytes }, { cause: err });
  }
}

function timeoutError(stallMs: number, receivedBytes: number): ModelLibraryError {
  return new ModelLibraryError(
    'model_download_timeout',
    `The server sent nothing for ${Math.round(stallMs / 1000)} seconds. Check the connection and resume the download; what has arrived so far is kept.`,
    { receivedBytes },
  );
}

function asDownloadError(err: unknown): ModelLibraryError {
  if (err instanceof ModelLibraryError) return err;
  return new ModelLibraryError('model_download_network_error', 'The download failed because of a network problem. Check the connection and resume the download.', {}, { cause: err });
}

function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function sizeIfExists(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}
