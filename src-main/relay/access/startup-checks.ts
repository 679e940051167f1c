// Access rules checked before the relay listens: an embedded relay (§12) is loopback-only, and
// /metrics is not served to the network without a token unless the operator says so.
import { ConfigError, type ResolvedRelayConfig } from '../config';
import { MetricsTokenRequiredError } from './access-errors';
import { isLoopbackHost } from './client-address';

export function checkAccessConfig(config: ResolvedRelayConfig): void {
  const loopback = isLoopbackHost(config.host);
  if (config.embedded && !loopback) throw new ConfigError(`an embedded relay listens on a loopback address (127.0.0.1 or ::1), not ${config.host}`);
  if (!loopback && config.metricsToken === undefined && !config.publicMetrics) throw new MetricsTokenRequiredError(config.host);
}
