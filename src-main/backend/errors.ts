// Every failure leaving the backend is an IpcFailure {code, message}: plain words, no secrets.
import { z } from 'zod';
import type { IpcError } from '../../src-shared/ipc/contract';
import { ChatError } from '../client/errors';
import { ConversationNotFoundError, StorageError, TamperedDataError, WrongKeyError, WrongPassphraseError } from '../storage';

export class IpcFailure extends Error implements IpcError {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'IpcFailure';
  }

  toJSON(): IpcError {
    return { code: this.code, message: this.message };
  }
}

export function badRequest(message: string): IpcFailure {
  return new IpcFailure('bad_request', message);
}

/** The failure for an unexpected error: its text never leaves the backend. */
export function internalFailure(): IpcFailure {
  return new IpcFailure('internal', 'Something went wrong inside the app. Please try again.');
}

export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'The request is not valid.';
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** Maps anything thrown by a handler to plain words; unknown errors never leak their text. */
export function toIpcFailure(error: unknown): IpcFailure {
  if (error instanceof IpcFailure) return error;
  if (error instanceof z.ZodError) return badRequest(describeZodError(error));
  if (error instanceof ChatError) return new IpcFailure(error.code, error.userMessage);
  if (error instanceof ConversationNotFoundError) return new IpcFailure('not_found', error.message);
  if (error instanceof WrongPassphraseError) return new IpcFailure('wrong_passphrase', error.message);
  if (error instanceof WrongKeyError) return new IpcFailure('wrong_key', error.message);
  if (error instanceof TamperedDataError) return new IpcFailure('damaged_data', error.message);
  if (error instanceof StorageError) return new IpcFailure('storage_error', error.message);
  return internalFailure();
}
