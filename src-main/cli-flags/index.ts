// What the bins share (tokenplace-relay, tokenplace-node, tokenplace-chat, tokenplace-gateway): one
// flag parser with messages that name the flag, readers for common value kinds and token files,
// --help from the flag table, and the entry that wires a CLI's program to the process. Each CLI
// keeps its own table and messages.
// Plain Node; imports nothing but Node built-ins.
//
// A new CLI is four small pieces, as the existing ones are:
//   <layer>/cli-args.ts  its FlagTable, `formatHelp(table, layout)` and `parseFlags(table, argv, { env })`
//                        with the readers below, throwing CliUsageError for what they do not cover;
//   <layer>/cli-run.ts   its program `(io: CliIo) => Promise<number>` (tests call it in-process);
//   <layer>/cli.ts       `runBin('tokenplace-x', program)`;
//   bin/tokenplace-x.js  `require('./launch.js')('<layer>/cli')`, plus its line in package.json "bin"
//                        and its entry in scripts/build-bins.mjs (out/bin/<layer>-cli.js is what runs).
export { CliUsageError, envBoolean, parseFlags, type FlagSpec, type FlagTable, type FlagValues, type ParsedFlags, type ParseFlagsOptions } from './flags';
export { numberFrom, oneOf, positiveSeconds, urlItMeant, wholeNumber } from './values';
export { formatHelp, type HelpLayout } from './help';
export { EXIT, runBin, stopRequested, usageFailure, type CliIo, type CliProgram } from './bin';
export { TOKEN_FILE_MAX_BYTES, readTokenFile, tokenFileExposure } from './token-file';
