// TESTS ONLY. The compute-node utility process as a plain Node child (child_process.fork with
// tsx): the same service code as out/main/node-process.js — the in-process NodeHost, so the
// built-in engine (node-llama-cpp) lives in this process — answering over the fork IPC channel
// instead of Electron's parentPort. A test can kill it like the OS would.
import { createInProcessNodeHost } from '../../src-main/backend';
import { serveNodeHost } from '../../src-main/app/utility/node-service';
import type { ParentPortLike } from '../../src-main/app/utility/serve';

const port: ParentPortLike = {
  on: (_event, listener) => process.on('message', (data) => listener({ data })),
  postMessage: (message) => void process.send?.(message),
};

serveNodeHost(port, () => createInProcessNodeHost());
