// What an IPC call rejected with, for people and for code: one sentence a person can read, and the
// registry's typed code (src-shared/errors) the renderer can switch on. The sentence comes from the
// main process as text and stays in its words (English); only the fallback is translated.
import { isErrorCode, type ErrorCode } from '../../../src-shared/errors';
import { i18n } from '../i18n';

export type { ErrorCode };

const REMOTE_PREFIX = /^Error invoking remote method '[^']*':\s*/;
const ERROR_PREFIX = /^(?:[A-Za-z]*Error:\s*)+/;

export function describeError(error: unknown): string {
  let text = '';
  if (typeof error === 'string') text = error;
  else if (error && typeof error === 'object' && 'message' in error && typeof error.message === 'string') text = error.message;
  text = text.replace(REMOTE_PREFIX, '').replace(ERROR_PREFIX, '').trim();
  return text || i18n.t('common:error.internal');
}

/** The registry code of an IpcError (`switch (errorCode(e)) { case 'locked': … }`); undefined for anything else. */
export function errorCode(error: unknown): ErrorCode | undefined {
  if (error && typeof error === 'object' && 'code' in error && isErrorCode(error.code)) return error.code;
  return undefined;
}
