// Awaits a promise that must reject with a ModelLibraryError of the given code; returns it.
import { expect } from 'vitest';
import { isModelLibraryError, type ModelLibraryError, type ModelLibraryErrorCode } from '../../src-main/models';

export async function expectModelError(promise: Promise<unknown>, code: ModelLibraryErrorCode): Promise<ModelLibraryError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isModelLibraryError(err, code), `expected ${code}, got ${String(err)}`).toBe(true);
  return err as ModelLibraryError;
}
