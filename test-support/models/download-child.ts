// Runs one model download in its own process so a test can kill it mid-way (SIGKILL) and check
// that another process resumes it. Prints one JSON line per progress report.
// Usage: node --import tsx test-support/models/download-child.ts URL DIR SHA256
import { ModelDownload } from '../../src-main/models';

const [url, dir, sha256] = process.argv.slice(2) as [string, string, string];
const task = new ModelDownload({ url, sha256 }, {
  dir,
  progressIntervalMs: 0,
  onProgress: (p) => process.stdout.write(`${JSON.stringify({ receivedBytes: p.receivedBytes })}\n`),
});
task.run().then(
  () => process.stdout.write('{"done":true}\n'),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
