// The backend's domain errors, and the one edge mapping: toIpcError turns whatever a handler threw
// into an IpcError {code, message} in plain words from the error registry (src-shared/errors).
// Only backend.ts calls it; an unexpected error's own text never leaves the backend.
import { z } from 'zod';
import type { IpcError } from '../../src-shared/ipc/contract';
import { AppError, errorCodeOf, ERROR_REGISTRY } from '../../src-shared/errors';
import { ChatError } from '../client';
import { ModelLibraryError } from '../models';
import { ConversationNotFoundError, StorageError, TamperedDataError, WeakPassphraseError, WrongKeyError, WrongPassphraseError } from '../storage';

/** The request does not fit what was asked; the message names what is wrong. */
export class BadRequestError extends AppError {
  constructor(message: string) {
    super('bad_request', message);
  }
}

export class AppLockedError extends AppError {
  constructor() {
    super('locked');
  }
}

export class BackendClosedError extends AppError {
  constructor() {
    super('closed');
  }
}

/** A conversation already has an answer on its way. */
export class AnswerInProgressError extends AppError {
  constructor() {
    super('busy');
  }
}

/** Read: the attached files and the message exceed what a node takes (§2.3.1 step 4, §2.3.7). */
export class AttachmentsTooLargeError extends AppError {
  constructor() {
    super('bad_request', 'The attached files and the message are more text than a node takes (512 KiB in all). Remove a file, or send a shorter one.');
  }
}

export class NothingToRegenerateError extends AppError {
  constructor() {
    super('nothing_to_regenerate');
  }
}

/** `chat:edit` named a message that is not a user message of the conversation. */
export class MessageNotEditableError extends AppError {
  constructor() {
    super('not_found', 'That message cannot be edited.');
  }
}

/** Organise: a message the request named is not (or no longer) in the conversation. */
export class MessageNotFoundError extends AppError {
  constructor() {
    super('not_found', 'That message is no longer in this conversation.');
  }
}

export class NodeNotConfiguredError extends AppError {
  constructor() {
    super('node_unconfigured');
  }
}

export class RelayNotRunningError extends AppError {
  constructor() {
    super('relay_not_running');
  }
}

/** The provider settings lack what the provider needs; the message says what to enter. */
export class NodeSettingsError extends AppError {
  constructor(message: string) {
    super('node_config', message);
  }
}

/** `trust:answer` named a question that is no longer waiting (answered already, or its request stopped). */
export class ConfirmationSettledError extends AppError {
  constructor() {
    super('confirmation_settled');
  }
}

/** Steer: a preset the request named does not exist (any more). */
export class PresetNotFoundError extends AppError {
  constructor() {
    super('preset_not_found');
  }
}

/** Steer: a built-in preset cannot be changed or deleted. */
export class PresetReadOnlyError extends AppError {
  constructor() {
    super('preset_read_only');
  }
}

/** Steer (§2.3.5): the last message is no answer that stopped at its output limit or was stopped. */
export class NothingToContinueError extends AppError {
  constructor() {
    super('nothing_to_continue');
  }
}

/** A handler's reply does not match the contract: a bug, shown to the user as 'internal'. */
export class ReplyOutsideContractError extends Error {
  constructor(issue: string) {
    super(`reply does not match the contract: ${issue}`);
    this.name = 'ReplyOutsideContractError';
  }
}

/** Errors leave the backend as this: `handle()` rejects with it, tests match its code and message. */
export class IpcFailure extends Error implements IpcError {
  readonly code: IpcError['code'];

  constructor(error: IpcError) {
    super(error.message);
    this.name = 'IpcFailure';
    this.code = error.code;
  }
}

/** The first issue as "path: what is wrong" (for logs). */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** A request that fails its schema: "The request is not valid (path): what is wrong". */
export function requestNotValid(error: z.ZodError): BadRequestError {
  const issue = error.issues[0];
  if (!issue) return new BadRequestError(ERROR_REGISTRY.bad_request.message);
  const where = issue.path.length ? ` (${issue.path.map(String).join('.')})` : '';
  return new BadRequestError(`The request is not valid${where}: ${issue.message}`);
}

export const INTERNAL_ERROR: IpcError = { code: 'internal', message: ERROR_REGISTRY.internal.message };

/** Maps anything thrown by a handler to plain words; unknown errors never leak their text. */
export function toIpcError(error: unknown): IpcError {
  if (error instanceof AppError) return { code: error.code, message: error.userMessage };
  if (error instanceof z.ZodError) return toIpcError(requestNotValid(error));
  // The library's own words say what happened and what to do (a 404, a timeout, a full disk, a refused checksum).
  if (error instanceof ModelLibraryError) return { code: error.code, message: error.message };
  if (error instanceof ChatError) return { code: errorCodeOf(error.code), message: error.userMessage };
  if (error instanceof ConversationNotFoundError) return { code: 'not_found', message: error.message };
  if (error instanceof WrongPassphraseError) return { code: 'wrong_passphrase', message: error.message };
  if (error instanceof WeakPassphraseError) return { code: 'weak_passphrase', message: error.message };
  if (error instanceof WrongKeyError) return { code: 'wrong_key', message: error.message };
  if (error instanceof TamperedDataError) return { code: 'damaged_data', message: error.message };
  if (error instanceof StorageError) return { code: 'storage_error', message: error.message };
  return INTERNAL_ERROR;
}
