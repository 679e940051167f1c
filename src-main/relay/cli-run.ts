// The `tokenplace-relay` program with injectable I/O (bin/tokenplace-relay.js runs it through
// cli.ts). Runs until its signal is aborted, then closes the relay and ends with 0.
import { EXIT, stopRequested, usageFailure, type CliIo } from '../cli-flags';
import { helpText, parseCli } from './cli-options';
import { REDIS_CREDENTIAL_ENV } from './cli-secrets';
import { ConfigError } from './config';
import { ClusterNotReadyError } from './store/redis-connect';
import { StoreUnavailableError } from './store/state-store';
import { startRelay } from './index';

export type RelayCliIo = Omit<CliIo, 'stdin'>;

export async function runRelayCli(io: RelayCliIo): Promise<number> {
  const say = (line: string) => io.stderr.write(`tokenplace-relay: ${line}\n`);
  let settings;
  try {
    settings = parseCli(io.argv, io.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return usageFailure(io, 'tokenplace-relay', err.message);
  }
  if (settings.help) {
    io.stdout.write(`${helpText()}\n`);
    return EXIT.ok;
  }
  // Before the relay starts, so an operator sees them even when startup fails.
  for (const warning of settings.warnings) say(`warning: ${warning}`);
  const log = settings.quiet ? undefined : (line: string) => io.stderr.write(`${new Date().toISOString()} ${line}\n`);
  let relay;
  try {
    relay = await startRelay({ ...settings.config, log });
  } catch (err) {
    if (err instanceof ConfigError) {
      say(err.message);
      return EXIT.usage;
    }
    say(`could not start: ${startFailure(err, settings.config.redisUrl)}`);
    return EXIT.failed;
  }
  io.stdout.write(`tokenplace-relay listening on ${relay.url} (state: ${relay.store.kind})\n`);
  const loopback = ['127.0.0.1', '::1', 'localhost'].includes(relay.host);
  if (!loopback && relay.config.relayTokens.length === 0) say('warning: no --relay-token set; any host can register as a compute node');
  say(`${await stopRequested(io.signal)}, draining (at most ${relay.config.drainSeconds} s), then shutting down`);
  await relay.drain();
  return EXIT.ok;
}

/** Why the relay could not start, in words for the operator (a Redis URL is shown without its credentials). */
function startFailure(err: unknown, redisUrl: string | undefined): string {
  if (!(err instanceof StoreUnavailableError) || redisUrl === undefined) return (err as Error).message;
  const { host } = new URL(redisUrl);
  const cause = err.cause instanceof Error ? err.cause.message.split('\n')[0]! : 'no answer';
  if (err.cause instanceof ClusterNotReadyError) {
    return `the Redis Cluster at ${host} is not ready (${err.cause.detail}); fix it (redis-cli --cluster check ${host}) or point --redis at a healthy cluster`;
  }
  if (/\b(WRONGPASS|NOAUTH|NOPERM)\b/.test(cause)) {
    return `Redis at ${host} refused the relay's login (${cause}); give its ACL user and password in ${REDIS_CREDENTIAL_ENV.username} and ${REDIS_CREDENTIAL_ENV.password}`;
  }
  return `cannot reach Redis at ${host} (${cause}); check --redis and that Redis is running`;
}
