// The shape every layer's typed failure shares: a stable code from a vocabulary of src-shared, the
// words for a person, and details that are numbers and statuses only (safe to log and to show).
// Each layer names its own subclass (LocalEngineError, ModelLibraryError, …); the edge maps it.

export class CodedError<Code extends string, Details extends object = Record<string, never>> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    readonly details: Details = {} as Details,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
