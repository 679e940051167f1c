// The domain error of the app's own failures: a registry code and the words for the user. Domain
// code throws it (or a subclass that names the failure); only the backend's edge turns it into an
// IPC error. It crosses the utility-process boundary as {code, message} and is rebuilt there.
import { ERROR_REGISTRY, type RegisteredErrorCode } from './registry';

export class AppError extends Error {
  readonly code: RegisteredErrorCode;
  readonly retryable: boolean;

  /**
   * `userMessage` replaces the registry's words only to say more precisely what was wrong and what
   * to do (e.g. which field of a request); it never names another failure.
   */
  constructor(code: RegisteredErrorCode, userMessage?: string, options?: ErrorOptions) {
    const entry = ERROR_REGISTRY[code];
    super(userMessage ?? entry.message, options);
    this.name = new.target.name;
    this.code = code;
    this.retryable = entry.retryable;
  }

  /** The words for the user (the error's message is written for them). */
  get userMessage(): string {
    return this.message;
  }
}
