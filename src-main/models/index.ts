// The model library (issue 13): curated GGUF models, downloads into the models folder, import,
// delete. Plain Node; imports only src-shared and Node built-ins.
export {
  CURATED_MODELS,
  ENGINE_WORKING_BYTES,
  RAM_ESTIMATE_CONTEXT_TOKENS,
  estimateRamBytes,
  findCatalogueEntry,
  smallestCatalogueEntry,
  type CatalogueEntry,
} from './catalogue';
export { ModelLibrary, type LibraryModel, type ModelLibraryOptions, type PartialDownload } from './model-library';
export {
  ModelDownload,
  openFileSink,
  type DownloadOptions,
  type DownloadSpec,
  type DownloadStatus,
  type DownloadedModel,
  type FileSink,
  type OpenSink,
} from './model-download';
export type { DownloadProgress } from './download-progress';
export { MODEL_LIBRARY_ERROR_CODES, ModelLibraryError, formatBytes, isModelLibraryError, type ModelLibraryErrorCode, type ModelLibraryErrorDetails } from './errors';
export { checkModelFileName, hasGgufMagic, sha256OfFile, type StatFs } from './model-file';
