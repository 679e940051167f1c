// Typed failures of the model library and its downloader. Codes are stable names (they join the
// shared error registry: src-shared/vocabulary declares them, src-shared/errors has their
// general words); messages tell a person what happened and what to do.

import { CodedError } from '../../src-shared/errors';
import type { ModelLibraryErrorCode } from '../../src-shared/vocabulary';

export { MODEL_LIBRARY_ERROR_CODES, type ModelLibraryErrorCode } from '../../src-shared/vocabulary';

/** Numbers and HTTP statuses only (never file contents). */
export interface ModelLibraryErrorDetails {
  status?: number;
  neededBytes?: number;
  availableBytes?: number;
  expectedBytes?: number;
  actualBytes?: number;
  receivedBytes?: number;
}

export class ModelLibraryError extends CodedError<ModelLibraryErrorCode, ModelLibraryErrorDetails> {
  /** Whether the same download can be resumed later (the partial file is kept). */
  get resumable(): boolean {
    return RESUMABLE.has(this.code);
  }
}

const RESUMABLE = new Set<ModelLibraryErrorCode>([
  'model_download_http_error',
  'model_download_network_error',
  'model_download_timeout',
  'model_download_insufficient_space',
  'model_download_disk_full',
  // another process downloads it now: once that one stops, this one can go on from its file
  'model_download_locked',
]);

export function isModelLibraryError(err: unknown, code?: ModelLibraryErrorCode): err is ModelLibraryError {
  return err instanceof ModelLibraryError && (code === undefined || err.code === code);
}

/** Sizes in messages people read (one helper for the window and the library). */
export { formatBytes } from '../../src-shared/format/units';
