// Entry point of the `tokenplace-gateway` bin (bin/tokenplace-gateway.js). SIGINT/SIGTERM stop the
// gateway; a second one exits at once.
import { runBin } from '../cli-flags';
import { runGatewayCli } from './gateway-cli-run';

runBin('tokenplace-gateway', runGatewayCli);
