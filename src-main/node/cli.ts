// Entry point of the `tokenplace-node` bin (bin/tokenplace-node.js).
import { runNodeCli } from './cli-run';

const controller = new AbortController();
let interrupts = 0;
const onSignal = () => {
  // First signal: unregister and exit cleanly; a second one exits at once.
  if (++interrupts > 1) process.exit(130);
  controller.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

runNodeCli({ argv: process.argv.slice(2), env: process.env, stdout: process.stdout, stderr: process.stderr, signal: controller.signal }).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`tokenplace-node: unexpected failure: ${(err as Error)?.message ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
