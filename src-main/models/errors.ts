// Typed failures of the model library and its downloader. Codes are stable names (they join the
// shared error registry); messages tell a person what happened and what to do.

export const MODEL_LIBRARY_ERROR_CODES = [
  'model_download_invalid_url',
  'model_download_invalid_checksum',
  'model_download_not_found',
  'model_download_http_error',
  'model_download_network_error',
  'model_download_timeout',
  'model_download_insufficient_space',
  'model_download_disk_full',
  'model_download_write_failed',
  'model_download_range_unsupported',
  'model_download_size_mismatch',
  'model_download_checksum_mismatch',
  'model_download_cancelled',
  'model_download_in_progress',
  'model_file_not_gguf',
  'model_file_invalid_name',
  'model_file_not_found',
  'model_file_exists',
] as const;
export type ModelLibraryErrorCode = (typeof MODEL_LIBRARY_ERROR_CODES)[number];

/** Numbers and HTTP statuses only (never file contents). */
export interface ModelLibraryErrorDetails {
  status?: number;
  neededBytes?: number;
  availableBytes?: number;
  expectedBytes?: number;
  actualBytes?: number;
  receivedBytes?: number;
}

export class ModelLibraryError extends Error {
  override readonly name = 'ModelLibraryError';
  constructor(
    readonly code: ModelLibraryErrorCode,
    message: string,
    readonly details: ModelLibraryErrorDetails = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

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
]);

export function isModelLibraryError(err: unknown, code?: ModelLibraryErrorCode): err is ModelLibraryError {
  return err instanceof ModelLibraryError && (code === undefined || err.code === code);
}

/** "1.2 GB", "350 MB", "12 KB": sizes in messages people read. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}
