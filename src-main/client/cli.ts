// Entry point of the `tokenplace-chat` bin (bin/tokenplace-chat.js).
import { runCli } from './cli-run';

const controller = new AbortController();
let interrupts = 0;
process.on('SIGINT', () => {
  // First Ctrl-C cancels the request at the relay and exits cleanly; a second one exits at once.
  if (++interrupts > 1) process.exit(130);
  controller.abort();
});

runCli({
  argv: process.argv.slice(2),
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`tokenplace-chat: unexpected failure: ${(err as Error)?.message ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
