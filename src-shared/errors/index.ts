// One registry of error codes (code → words → retryable → pick another node) and the app's
// domain error. No zod here, so the sandboxed preload can use it; the contract holds the schema.
export { AppError } from './app-error';
export { CodedError } from './coded-error';
export { errorCodeOf, errorInfoOf, httpStatusErrorCode, isErrorCode, isRegisteredErrorCode, type ErrorCode, type ErrorInfo, type HttpStatusErrorCode } from './codes';
export {
  APP_ERROR_CODES,
  CLIENT_ERROR_CODES,
  DETAILED_ERROR_WORDS,
  ERROR_GROUPS,
  FALLBACK_ERROR_CODES,
  ERROR_REGISTRY,
  REGISTERED_ERROR_CODES,
  type AppErrorCode,
  type ClientErrorCode,
  type ErrorEntry,
  type FallbackErrorCode,
  type RegisteredErrorCode,
} from './registry';
