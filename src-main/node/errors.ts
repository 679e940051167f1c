// Typed failures of the compute node and its model providers (one class per kind).
import type { NodeErrorCode } from '../../src-shared/protocol/error-codes';

/**
 * A provider call failed in a way the client should hear about, as a §5.4 node code.
 * `reason` is a short safe token (never provider text, which could echo prompts or secrets).
 */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  constructor(
    readonly code: NodeErrorCode,
    readonly reason: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(`Provider failed: ${code} (${reason})`);
  }
}

/** The provider call was aborted by our own AbortSignal (cancel, deadline or node stop). */
export class ProviderAbortedError extends Error {
  override readonly name = 'ProviderAbortedError';
  constructor() {
    super('Provider call aborted');
  }
}

/** Model configuration failed validation at load. `issues` are human-readable lines. */
export class ModelConfigError extends Error {
  override readonly name = 'ModelConfigError';
  constructor(
    message: string,
    readonly issues: string[] = [],
  ) {
    super(issues.length ? `${message}:\n  - ${issues.join('\n  - ')}` : message);
  }
}

/** The relay answered a compute-node route with an unexpected HTTP status. */
export class RelayStatusError extends Error {
  override readonly name = 'RelayStatusError';
  constructor(
    readonly route: string,
    readonly status: number,
    readonly relayMessage: string | undefined,
    /** The relay's error code when it sent a string one (ours do, §5.4.1). */
    readonly relayCode?: string,
  ) {
    super(`Relay ${route} answered HTTP ${status}${relayMessage ? `: ${relayMessage}` : ''}`);
  }
}

/** The relay could not be reached (connection refused, DNS, timeout). */
export class RelayUnreachableError extends Error {
  override readonly name = 'RelayUnreachableError';
  constructor(
    readonly route: string,
    readonly reason: 'timeout' | 'network',
  ) {
    super(`Relay ${route} unreachable (${reason})`);
  }
}

/** The relay answered with a body that does not match the wire schema. */
export class RelayProtocolError extends Error {
  override readonly name = 'RelayProtocolError';
  constructor(
    readonly route: string,
    detail: string,
  ) {
    super(`Relay ${route} sent an unexpected body: ${detail}`);
  }
}

/**
 * Registration was refused for a reason retrying cannot fix (bad token, invalid capabilities, a
 * registration proof the relay does not accept). `status` is null when the node itself gave up
 * (a challenge it cannot answer, §9).
 */
export class RegistrationRefusedError extends Error {
  override readonly name = 'RegistrationRefusedError';
  constructor(
    readonly status: number | null,
    readonly relayMessage: string | undefined,
    explanation?: string,
  ) {
    super(explanation ?? `Relay refused registration (HTTP ${status})${relayMessage ? `: ${relayMessage}` : ''}`);
  }
}

/**
 * The relay turned a registration down for now, for a reason that passes (§9): the key's earlier
 * verified registration still holds it, or the proof came too late. The node says so in plain
 * words and tries again with backoff; it is not stopped.
 */
export class RegistrationDeferredError extends Error {
  override readonly name = 'RegistrationDeferredError';
  constructor(
    readonly relayCode: string,
    explanation: string,
  ) {
    super(explanation);
  }
}
