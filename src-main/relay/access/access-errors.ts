// Refusals of the relay's access rules (§12 embedded relay, §5.1 long polls, /metrics), with the
// exact bodies of docs/protocol.md §12 and §5.4.1.
import { ConfigError } from '../config';
import { RelayHttpError } from '../errors';

/** §12: a `Host` the embedded relay does not answer to (a DNS-rebinding page, another name). */
export class HostNotAllowedError extends RelayHttpError {
  constructor() {
    super(403, { error: { message: 'Host not allowed: this relay serves only the app that started it', code: 'host_not_allowed' } });
  }
}

/** §12: no launch secret, or not this launch's. */
export class LaunchSecretError extends RelayHttpError {
  constructor() {
    super(401, { error: { message: 'Missing or invalid launch secret: this relay serves only the app that started it', code: 'launch_secret_required' } });
  }
}

/** §5.1: this sender already holds as many node long polls as the relay allows. */
export class TooManyLongPollsError extends RelayHttpError {
  constructor(limit: number) {
    super(
      429,
      { error: { message: `Too many open long polls from this address (at most ${limit}); try again shortly`, code: 'too_many_long_polls' } },
      { 'retry-after': '1' },
    );
  }
}

export class MetricsTokenError extends RelayHttpError {
  constructor() {
    super(401, { error: { message: 'Missing or invalid metrics token', code: 401 } });
  }
}

/** Startup refusal: /metrics would be open to the network. */
export class MetricsTokenRequiredError extends ConfigError {
  constructor(host: string) {
    super(
      `/metrics needs a token: the relay listens on ${host}, which is not a loopback address. ` +
        'Give it one with --metrics-token-file FILE (or TOKENPLACE_RELAY_METRICS_TOKEN), ' +
        'or pass --public-metrics to serve /metrics to anyone on purpose.',
    );
    this.name = 'MetricsTokenRequiredError';
  }
}
