// Entry point of the `tokenplace-chat` bin (bin/tokenplace-chat.js). The first Ctrl-C cancels the
// request at the relay and exits cleanly; a second one exits at once.
import { runBin } from '../cli-flags';
import { runCli } from './cli-run';

runBin('tokenplace-chat', runCli, ['SIGINT']);
