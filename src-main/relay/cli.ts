// Entry point of the `tokenplace-relay` bin (bin/tokenplace-relay.js). SIGINT/SIGTERM close the relay.
import { runBin } from '../cli-flags';
import { runRelayCli } from './cli-run';

runBin('tokenplace-relay', runRelayCli);
