// Worker-thread entry of the unwrap pool (forge-unwrap-pool.ts): the RSA unwraps of one envelope,
// every requested padding each time (§1.9.4), off the event loop of the thread that asked.
// node-forge's PKCS#1 v1.5 decryption costs tens of milliseconds of pure JavaScript (§1.3
// "Consequences"); here it blocks only this thread. Bundled as its own entry (vite.config.ts).
import { parentPort } from 'node:worker_threads';
import { privateKeyObject } from './key-objects';
import { rsaUnwrapEach } from './rsa-unwrap';
import type { UnwrapJob, UnwrapReply } from './forge-unwrap-messages';

const port = parentPort;
if (!port) throw new Error('forge-unwrap-worker runs only as a worker thread');

port.on('message', (job: UnwrapJob) => {
  let reply: UnwrapReply;
  try {
    const opened = rsaUnwrapEach(privateKeyObject(job.privateKeyPem), job.wrapped, job.paddings);
    reply = { id: job.id, opened };
  } catch {
    // Only an unusable key PEM gets here; the caller parsed the same PEM before asking.
    reply = { id: job.id, opened: job.paddings.map(() => null) };
  }
  port.postMessage(reply);
});
