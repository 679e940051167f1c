// Typed storage errors: one class per failure kind a caller may want to tell apart.

export class StorageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The data was sealed with a different data key (e.g. secrets from another install). */
export class WrongKeyError extends StorageError {
  constructor() {
    super('The stored data was encrypted with a different key.');
  }
}

/** The passphrase does not open the secret store. */
export class WrongPassphraseError extends StorageError {
  constructor() {
    super('The passphrase is not correct.');
  }
}

/** A new passphrase store was refused: the passphrase is too easy to guess (the message says why). */
export class WeakPassphraseError extends StorageError {}

/** The sealed data failed authentication or does not parse: it was modified or damaged. */
export class TamperedDataError extends StorageError {
  constructor(what: string) {
    super(`The stored ${what} is damaged or was modified and cannot be read.`);
  }
}

/** The file was written by a newer version of the app, in a format this version cannot read. */
export class NewerFileVersionError extends StorageError {
  constructor(what: string) {
    super(`The stored ${what} was saved by a newer version of token.place. Update the app to open it.`);
  }
}

export class ConversationNotFoundError extends StorageError {
  constructor(readonly conversationId: string) {
    super('That conversation does not exist.');
  }
}

export class StoreClosedError extends StorageError {
  constructor() {
    super('The store is closed.');
  }
}
