// Entry point of the `tokenplace-node` bin (bin/tokenplace-node.js). The first SIGINT/SIGTERM
// unregisters from the relay and exits cleanly; a second one exits at once.
import { runBin } from '../cli-flags';
import { runNodeCli } from './cli-run';

runBin('tokenplace-node', runNodeCli);
