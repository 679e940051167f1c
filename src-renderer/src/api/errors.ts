// Turns whatever an IPC call rejected with into one sentence a person can read.

const REMOTE_PREFIX = /^Error invoking remote method '[^']*':\s*/;
const ERROR_PREFIX = /^(?:[A-Za-z]*Error:\s*)+/;

export function describeError(error: unknown): string {
  let text = '';
  if (typeof error === 'string') text = error;
  else if (error && typeof error === 'object' && 'message' in error && typeof error.message === 'string') text = error.message;
  text = text.replace(REMOTE_PREFIX, '').replace(ERROR_PREFIX, '').trim();
  return text || 'Something went wrong. Please try again.';
}

export function errorCode(error: unknown): string | undefined {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}
