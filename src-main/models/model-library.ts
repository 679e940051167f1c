// The models folder: what is in it, downloads into it, importing a .gguf file, deleting.
import { constants } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { findCatalogueEntry } from './catalogue';
import { readDownloadState } from './download-state';
import { ModelLibraryError } from './errors';
import { ModelDownload, type DownloadOptions, type DownloadSpec } from './model-download';
import { withDownloadLock } from './download-lock';
import { PARTIAL_SUFFIX, STATE_SUFFIX, checkModelFileName, ensureFreeSpace, hasGgufMagic } from './model-file';

export interface LibraryModel {
  fileName: string;
  path: string;
  sizeBytes: number;
  modifiedAt: number;
  /** The curated entry this file is, when its name matches one. */
  catalogueId?: string;
}

export interface PartialDownload {
  fileName: string;
  receivedBytes: number;
  totalBytes?: number;
  url: string;
  /** The checksum the download was started with (a resumed download keeps checking it). */
  sha256?: string;
}

export interface ModelLibraryOptions extends Omit<DownloadOptions, 'dir' | 'onProgress'> {
  /** The models folder (created when missing). */
  dir: string;
}

const IMPORT_SUFFIX = '.import';

export class ModelLibrary {
  private readonly downloads = new Map<string, ModelDownload>();

  constructor(private readonly options: ModelLibraryOptions) {}

  get dir(): string {
    return this.options.dir;
  }

  /** Finished models, and downloads that can be resumed. */
  async list(): Promise<{ models: LibraryModel[]; partial: PartialDownload[] }> {
    await this.ensureDir();
    const names = await readdir(this.dir);
    const models: LibraryModel[] = [];
    const partial: PartialDownload[] = [];
    for (const name of names.sort()) {
      if (name.endsWith(STATE_SUFFIX)) {
        const fileName = name.slice(0, -STATE_SUFFIX.length);
        const state = await readDownloadState(join(this.dir, name));
        const received = await stat(join(this.dir, fileName + PARTIAL_SUFFIX)).then(
          (s) => s.size,
          () => 0,
        );
        if (state) partial.push({ fileName, receivedBytes: received, totalBytes: state.totalBytes, url: state.url, ...(state.sha256 && { sha256: state.sha256 }) });
        continue;
      }
      if (!name.toLowerCase().endsWith('.gguf')) continue;
      const s = await stat(join(this.dir, name)).catch(() => undefined);
      if (!s?.isFile()) continue;
      const entry = findCatalogueEntry(name);
      models.push({ fileName: name, path: join(this.dir, name), sizeBytes: s.size, modifiedAt: s.mtimeMs, ...(entry ? { catalogueId: entry.id } : {}) });
    }
    return { models, partial };
  }

  /** The path of a model in the folder (the name is checked, never a path elsewhere). */
  pathOf(fileName: string): string {
    return join(this.dir, checkModelFileName(fileName));
  }

  /**
   * A download into the folder (not started: call run()). One download per file at a time; a
   * later call for the same file while it runs gets the running one.
   */
  download(spec: DownloadSpec, onProgress?: DownloadOptions['onProgress']): ModelDownload {
    const task = new ModelDownload(spec, { ...this.options, onProgress });
    const running = this.downloads.get(task.fileName);
    if (running && (running.status === 'running' || running.status === 'idle')) return running;
    this.downloads.set(task.fileName, task);
    return task;
  }

  /** Deletes a model (or an unfinished download of it) and says how many bytes that freed. */
  async delete(fileName: string): Promise<{ freedBytes: number }> {
    const path = this.pathOf(fileName);
    const running = this.downloads.get(fileName);
    if (running?.status === 'running') await running.cancel();
    await this.ensureDir();
    // Not while another process downloads this file (download-lock.ts).
    const freedBytes = await withDownloadLock(path, fileName, async () => {
      let freed = 0;
      let found = false;
      for (const p of [path, path + PARTIAL_SUFFIX, path + STATE_SUFFIX]) {
        const s = await stat(p).catch(() => undefined);
        if (!s) continue;
        found = true;
        freed += s.size;
        await rm(p, { force: true });
      }
      if (!found) throw new ModelLibraryError('model_file_not_found', `${fileName} is not in the models folder.`);
      return freed;
    });
    return { freedBytes };
  }

  /** Copies a .gguf file into the folder after checking it is one and that it fits. */
  async importFile(sourcePath: string, fileName = basename(sourcePath)): Promise<LibraryModel> {
    const target = this.pathOf(fileName);
    await this.ensureDir();
    const source = await stat(sourcePath).catch(() => undefined);
    if (!source?.isFile()) throw new ModelLibraryError('model_file_not_found', 'The file to import was not found. Choose another file.');
    if (!(await hasGgufMagic(sourcePath))) {
      throw new ModelLibraryError('model_file_not_gguf', 'This file is not a GGUF model. Choose a .gguf file (for example from Hugging Face).');
    }
    if (await stat(target).then(() => true, () => false)) {
      throw new ModelLibraryError('model_file_exists', `${fileName} is already in the models folder.`);
    }
    await ensureFreeSpace(this.dir, source.size, this.options.statfs);
    const temp = target + IMPORT_SUFFIX;
    try {
      // A copy-on-write clone where the filesystem offers one, else a plain copy.
      await copyFile(sourcePath, temp, constants.COPYFILE_FICLONE);
      await rename(temp, target);
    } catch (err) {
      await rm(temp, { force: true });
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC' || code === 'EDQUOT') {
        throw new ModelLibraryError('model_download_disk_full', 'The disk filled up while importing. Free up space and import again.', {}, { cause: err });
      }
      throw new ModelLibraryError('model_download_write_failed', 'The model could not be copied into the models folder. Check that the folder is writable.', {}, { cause: err });
    }
    const s = await stat(target);
    const entry = findCatalogueEntry(fileName);
    return { fileName, path: target, sizeBytes: s.size, modifiedAt: s.mtimeMs, ...(entry ? { catalogueId: entry.id } : {}) };
  }

  private async ensureDir(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }
}
