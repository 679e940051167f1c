// Entry of the embedded-relay utility process (bundled as out/main/relay-process.js): runs the
// backend's in-process RelayHost (startRelay) and answers main over process.parentPort.
import { createInProcessRelayHost } from '../../backend';
import { serveRelayHost } from './relay-service';

serveRelayHost(process.parentPort, (config) => createInProcessRelayHost(config));
