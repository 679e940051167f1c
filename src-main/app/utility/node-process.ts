// Entry of the compute-node utility process (bundled as out/main/node-process.js): runs the
// backend's in-process NodeHost (startComputeNode with the configured provider; API keys stay in
// this process) and answers main over process.parentPort.
import { createInProcessNodeHost } from '../../backend';
import { serveNodeHost } from './node-service';

serveNodeHost(process.parentPort, () => createInProcessNodeHost());
