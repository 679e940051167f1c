// Starts the test bridge standalone for manual runs:
//   npx tsx e2e/bridge/server.ts [--port 4180] [--origin http://127.0.0.1:4173] [--data-dir DIR] [--unconfigured] [--shim FILE]
// Prints the URL and token; writes the browser shim to --shim (default: bridge-shim.js in the
// temp dir) so it can be pasted into a page or loaded by an extension. Ctrl+C stops it.
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startBridge } from '../../test-support/bridge';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      origin: { type: 'string' },
      'data-dir': { type: 'string' },
      unconfigured: { type: 'boolean', default: false },
      shim: { type: 'string' },
    },
  });
  const bridge = await startBridge({
    ...(values.port && { port: Number(values.port) }),
    ...(values.origin && { allowedOrigin: values.origin }),
    ...(values['data-dir'] && { dataDir: values['data-dir'] }),
    ...(values.unconfigured && { provider: false as const }),
  });
  const shimPath = values.shim ?? join(tmpdir(), 'tokenplace-bridge-shim.js');
  await writeFile(shimPath, bridge.shimScript, { mode: 0o600 });
  console.log(JSON.stringify({ url: bridge.url, token: bridge.token, shim: shimPath, dataDir: bridge.dataDir }));
  const stop = () => {
    void bridge.close().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
