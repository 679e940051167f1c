// bin `tokenplace-relay`: the relay headless. Stops cleanly on SIGINT/SIGTERM.
import { parseCli, helpText } from './cli-options';
import { ConfigError } from './config';
import { startRelay } from './index';

async function main(): Promise<number> {
  let settings;
  try {
    settings = parseCli(process.argv.slice(2), process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`tokenplace-relay: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (settings.help) {
    process.stdout.write(`${helpText()}\n`);
    return 0;
  }
  const log = settings.quiet ? undefined : (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  let relay;
  try {
    relay = await startRelay({ ...settings.config, log });
  } catch (err) {
    const message = err instanceof ConfigError ? err.message : `could not start: ${(err as Error).message}`;
    process.stderr.write(`tokenplace-relay: ${message}\n`);
    return err instanceof ConfigError ? 2 : 1;
  }
  process.stdout.write(`tokenplace-relay listening on ${relay.url} (state: ${relay.store.kind})\n`);
  const loopback = ['127.0.0.1', '::1', 'localhost'].includes(relay.host);
  if (!loopback && relay.config.relayTokens.length === 0)
    process.stderr.write('tokenplace-relay: warning: no --relay-token set; any host can register as a compute node\n');
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.stderr.write(`tokenplace-relay: ${signal}, shutting down\n`);
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await relay.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`tokenplace-relay: fatal: ${(err as Error)?.message ?? String(err)}\n`);
    process.exit(1);
  },
);
