// Failures of the built-in GGUF engine and of the model library (issue 13): the codes the
// engine, the downloader and the app raise, declared once; their words live in src-shared/errors.
import { z } from 'zod';

/** The built-in engine (src-main/node/providers/local). */
export const LocalEngineErrorCodeSchema = z.enum([
  'local_engine_model_not_found',
  'local_engine_model_invalid',
  'local_engine_model_load_failed',
  'local_engine_out_of_memory',
  'local_engine_binary_unavailable',
  'local_engine_gpu_unavailable',
  'local_engine_not_loaded',
  'local_engine_context_window_exceeded',
  'local_engine_invalid_options',
  'local_engine_cancelled',
  'local_engine_generation_failed',
]);
export type LocalEngineErrorCode = z.infer<typeof LocalEngineErrorCodeSchema>;
export const LOCAL_ENGINE_ERROR_CODES = LocalEngineErrorCodeSchema.options;

/** The models folder and its downloads (src-main/models). */
export const ModelLibraryErrorCodeSchema = z.enum([
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
  /** Another process holds the download lock of this file (src-main/models/download-lock.ts). */
  'model_download_locked',
  'model_file_not_gguf',
  'model_file_invalid_name',
  'model_file_not_found',
  'model_file_exists',
  'model_in_use',
  'model_download_not_running',
]);
export type ModelLibraryErrorCode = z.infer<typeof ModelLibraryErrorCodeSchema>;
export const MODEL_LIBRARY_ERROR_CODES = ModelLibraryErrorCodeSchema.options;

/**
 * A model of the library as the app shows it (`models:list`): offered for download, on its way
 * (running or paused, also after the app was closed), stopped by an error, or in the models folder.
 */
export const LibraryModelStateSchema = z.enum(['available', 'downloading', 'paused', 'failed', 'installed']);
export type LibraryModelState = z.infer<typeof LibraryModelStateSchema>;
