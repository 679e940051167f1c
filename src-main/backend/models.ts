// models:* — the model library behind the IPC contract (issue 13): the curated list and the
// models folder as one list with each model's state, downloads with their progress (pause,
// resume — also of a download left by an earlier run —, cancel), add from a URL, import of a
// file the user picked in main's open dialog, delete, and "use this model" on this computer's node.
import { statfs } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { LibraryModel as LibraryModelInfo, LocalNodeStatus, ModelLibrary as ModelLibraryInfo, ModelsEvent } from '../../src-shared/ipc/contract';
import {
  ENGINE_WORKING_BYTES,
  ModelLibrary,
  ModelLibraryError,
  estimateRamBytes,
  type CatalogueEntry,
  type DownloadSpec,
  type LibraryModel,
  type ModelDownload,
  type PartialDownload,
  type StatFs,
} from '../models';

export interface ModelsOptions {
  /** The models folder (in the app's data folder). */
  dir: string;
  /** The curated models offered for download. */
  catalogue: readonly CatalogueEntry[];
  /** Main's open dialog for a .gguf file: its path, or undefined when the user cancelled. */
  chooseModelFile?: () => Promise<string | undefined>;
  fetch?: typeof fetch;
  statfs?: StatFs;
  /** Give up on a server that sends nothing for this long (the downloader's default when absent). */
  stallTimeoutMs?: number;
  emit(event: ModelsEvent): void;
  /** The file this computer's node serves, if it serves one with the built-in engine. */
  servedFile(): string | undefined;
  /** Serves a file with the built-in engine on this computer's node. */
  serve(modelFile: string, model: string): Promise<LocalNodeStatus>;
}

interface Failure {
  message: string;
  resumable: boolean;
}

/** `Qwen2.5-0.5B-Instruct-Q4_K_M.gguf` → `Q4_K_M` (the usual llama.cpp names), else undefined. */
export function quantizationOfFileName(fileName: string): string | undefined {
  const match = /(?:^|[-_.])((?:I?Q\d(?:_[A-Z0-9]+)*)|BF16|F16|F32)\.gguf$/i.exec(fileName);
  return match?.[1]?.toUpperCase();
}

/** A name the models folder accepts, made from any file's name ("My model (v2).GGUF" → "My-model-v2-.gguf"). */
export function modelFileNameFor(name: string): string {
  const stem = name.replace(/\.gguf$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/\.{2,}/g, '.').replace(/^[^A-Za-z0-9]+/, '');
  return `${(stem || 'model').slice(0, 190)}.gguf`;
}

const modelName = (fileName: string) => fileName.replace(/\.gguf$/i, '');

export class Models {
  private readonly library: ModelLibrary;
  /** Downloads started in this run, by file name (running, paused or failed). */
  private readonly tasks = new Map<string, ModelDownload>();
  /** What a download of this run was started with (added from a URL: shown while it has no file yet). */
  private readonly specs = new Map<string, DownloadSpec>();
  private readonly failures = new Map<string, Failure>();

  constructor(private readonly opts: ModelsOptions) {
    this.library = new ModelLibrary({
      dir: opts.dir,
      ...(opts.fetch && { fetch: opts.fetch }),
      ...(opts.statfs && { statfs: opts.statfs }),
      ...(opts.stallTimeoutMs !== undefined && { stallTimeoutMs: opts.stallTimeoutMs }),
    });
  }

  private curated(fileName: string): CatalogueEntry | undefined {
    return this.opts.catalogue.find((e) => e.fileName === fileName);
  }

  async list(): Promise<ModelLibraryInfo> {
    const { models, partial } = await this.library.list();
    const installed = new Map(models.map((m) => [m.fileName, m]));
    const partials = new Map(partial.map((p) => [p.fileName, p]));
    const served = this.opts.servedFile();
    const rows: LibraryModelInfo[] = [];
    const seen = new Set<string>();
    const add = (fileName: string, facts: Omit<LibraryModelInfo, 'fileName' | 'state' | 'inUse'>) => {
      seen.add(fileName);
      rows.push({ fileName, ...facts, ...this.stateOf(fileName, installed.get(fileName), partials.get(fileName)), inUse: served === join(this.opts.dir, fileName) });
    };
    for (const e of this.opts.catalogue) {
      add(e.fileName, {
        name: e.name,
        catalogueId: e.id,
        publisher: e.publisher,
        parameters: e.parameters,
        quantization: e.quantization,
        sizeBytes: e.sizeBytes,
        licence: e.licence,
        ramEstimateBytes: estimateRamBytes(e),
      });
    }
    const others = new Set([...installed.keys(), ...partials.keys(), ...this.specs.keys()].filter((f) => !seen.has(f)));
    for (const fileName of [...others].sort()) {
      const size = installed.get(fileName)?.sizeBytes ?? partials.get(fileName)?.totalBytes ?? this.tasks.get(fileName)?.progress.totalBytes;
      const quantization = quantizationOfFileName(fileName);
      add(fileName, {
        name: modelName(fileName),
        ...(quantization && { quantization }),
        ...(size !== undefined && { sizeBytes: size }),
        // Without the model's shape only the weights and working buffers are known: at least this much.
        ...(size !== undefined && { ramEstimateBytes: size + ENGINE_WORKING_BYTES }),
      });
    }
    const free = await (this.opts.statfs ?? ((d: string) => statfs(d)))(this.opts.dir).then(
      (s) => Number(s.bavail) * Number(s.bsize),
      () => undefined,
    );
    const smallest = this.opts.catalogue.reduce<CatalogueEntry | undefined>((a, b) => (!a || b.sizeBytes < a.sizeBytes ? b : a), undefined);
    return {
      models: rows,
      ...(free !== undefined && Number.isFinite(free) && { freeBytes: Math.floor(free) }),
      ...(smallest && { smallestFileName: smallest.fileName }),
    };
  }

  private stateOf(fileName: string, installed: LibraryModel | undefined, partial: PartialDownload | undefined): Pick<LibraryModelInfo, 'state' | 'progress' | 'error' | 'resumable'> {
    if (installed) return { state: 'installed' };
    const task = this.tasks.get(fileName);
    const failure = this.failures.get(fileName);
    const progress = task
      ? { receivedBytes: task.progress.receivedBytes, totalBytes: task.progress.totalBytes, bytesPerSecond: task.progress.bytesPerSecond, secondsLeft: task.progress.secondsLeft }
      : partial && { receivedBytes: partial.receivedBytes, totalBytes: partial.totalBytes, bytesPerSecond: 0 };
    const withProgress = progress ? { progress: dropUndefined(progress) } : {};
    if (task?.status === 'running' || task?.status === 'idle') return { state: 'downloading', ...withProgress };
    if (failure) return { state: 'failed', error: failure.message, resumable: failure.resumable && partial !== undefined, ...withProgress };
    if (partial || task?.status === 'paused') return { state: 'paused', ...withProgress };
    return { state: 'available' };
  }

  private changed(): void {
    void this.list().then(
      (library) => this.opts.emit({ type: 'library', library }),
      () => undefined,
    );
  }

  /** Starts a download (or continues one that has a partial file) and returns the list with it running. */
  private async start(spec: DownloadSpec): Promise<ModelLibraryInfo> {
    const task = this.library.download(spec, (progress) => {
      this.opts.emit({
        type: 'progress',
        fileName: task.fileName,
        progress: dropUndefined({ receivedBytes: progress.receivedBytes, totalBytes: progress.totalBytes, bytesPerSecond: progress.bytesPerSecond, secondsLeft: progress.secondsLeft }),
      });
    });
    if (task.status === 'running') return this.list();
    this.tasks.set(task.fileName, task);
    this.specs.set(task.fileName, spec);
    this.failures.delete(task.fileName);
    void task.run().then(
      () => this.finished(task.fileName, task),
      (error: unknown) => {
        if (error instanceof ModelLibraryError && error.code === 'model_download_cancelled') return this.finished(task.fileName, task);
        this.failures.set(task.fileName, {
          message: error instanceof ModelLibraryError ? error.message : 'The download stopped unexpectedly. Try again.',
          resumable: error instanceof ModelLibraryError && error.resumable,
        });
        this.changed();
      },
    );
    return this.list();
  }

  private finished(fileName: string, task: ModelDownload): void {
    if (task.status !== 'paused') {
      this.tasks.delete(fileName);
      this.specs.delete(fileName);
    }
    this.changed();
  }

  /** A curated model, by its file name. */
  download(fileName: string): Promise<ModelLibraryInfo> {
    const entry = this.curated(fileName);
    if (!entry) throw new ModelLibraryError('model_file_not_found', `${fileName} is not one of the models offered for download. Add it from its URL instead.`);
    return this.start({ url: entry.url, fileName: entry.fileName, sha256: entry.sha256, sizeBytes: entry.sizeBytes });
  }

  addFromUrl(url: string, sha256?: string): Promise<ModelLibraryInfo> {
    return this.start({ url, ...(sha256 && { sha256 }) });
  }

  async pause(fileName: string): Promise<ModelLibraryInfo> {
    const task = this.tasks.get(fileName);
    if (task?.status !== 'running') throw notRunning(fileName);
    await task.pause();
    this.changed();
    return this.list();
  }

  /** Continues a paused or failed download, also one an earlier run of the app left in the folder. */
  async resume(fileName: string): Promise<ModelLibraryInfo> {
    const spec = this.specs.get(fileName);
    if (spec) return this.start(spec);
    const partial = (await this.library.list()).partial.find((p) => p.fileName === fileName);
    if (!partial) throw notRunning(fileName);
    const entry = this.curated(fileName);
    return this.start(
      entry
        ? { url: entry.url, fileName, sha256: entry.sha256, sizeBytes: entry.sizeBytes }
        : { url: partial.url, fileName, ...(partial.sha256 && { sha256: partial.sha256 }) },
    );
  }

  /** Stops a download and deletes what arrived (also of a download left by an earlier run, or a failed one). */
  async cancel(fileName: string): Promise<ModelLibraryInfo> {
    const task = this.tasks.get(fileName);
    const hadFailure = this.failures.delete(fileName);
    this.specs.delete(fileName);
    if (task) {
      this.tasks.delete(fileName);
      await task.cancel();
    } else {
      const { models, partial } = await this.library.list();
      const leftOver = partial.some((p) => p.fileName === fileName) && !models.some((m) => m.fileName === fileName);
      if (leftOver) await this.library.delete(fileName);
      else if (!hadFailure) throw notRunning(fileName);
    }
    this.changed();
    return this.list();
  }

  /** Asks main's open dialog for a .gguf file and copies it into the models folder. */
  async importFile(): Promise<{ imported?: string; library: ModelLibraryInfo }> {
    const path = await this.opts.chooseModelFile?.();
    if (!path) return { library: await this.list() };
    const model = await this.library.importFile(path, modelFileNameFor(basename(path)));
    this.changed();
    return { imported: model.fileName, library: await this.list() };
  }

  async delete(fileName: string): Promise<{ freedBytes: number; library: ModelLibraryInfo }> {
    if (this.opts.servedFile() === this.library.pathOf(fileName)) {
      throw new ModelLibraryError('model_in_use', `This computer’s node is serving ${fileName}. Choose another model for the node, or stop the node, first.`);
    }
    const task = this.tasks.get(fileName);
    this.tasks.delete(fileName);
    this.specs.delete(fileName);
    this.failures.delete(fileName);
    await task?.cancel();
    const { freedBytes } = await this.library.delete(fileName);
    this.changed();
    return { freedBytes, library: await this.list() };
  }

  /** This computer's node serves the model with the built-in engine. */
  async use(fileName: string): Promise<LocalNodeStatus> {
    const installed = (await this.library.list()).models.find((m) => m.fileName === fileName);
    if (!installed) throw new ModelLibraryError('model_file_not_found', `${fileName} is not in the models folder yet. Download or import it first.`);
    const status = await this.opts.serve(installed.path, modelName(fileName));
    this.changed();
    return status;
  }

  /** Pauses running downloads (their partial files stay for the next run). */
  async close(): Promise<void> {
    await Promise.all(
      [...this.tasks.values()].map((t) => (t.status === 'running' ? t.pause().catch(() => t.cancel()) : Promise.resolve())),
    );
  }
}

function notRunning(fileName: string): ModelLibraryError {
  return new ModelLibraryError('model_download_not_running', `There is no download of ${fileName} to pause, resume or cancel.`);
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
