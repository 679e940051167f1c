// Entry of the embedded-relay utility process (bundled as out/main/relay-process.js): runs the
// backend's in-process RelayHost (startRelay, embedded: main's launch secret, §12) and answers main
// over process.parentPort.
import { createEmbeddedRelayHost, serveRelayHost } from './relay-service';

serveRelayHost(process.parentPort, createEmbeddedRelayHost);
