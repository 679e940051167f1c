// Argument parsing of `tokenplace-gateway` (reads the token file; no other I/O).
import { CliUsageError, formatHelp, parseFlags, readTokenFile, tokenFileExposure, wholeNumber } from '../cli-flags';
import { SERVER_FLAG, serverUrlFrom } from './cli-server-flag';
import { GATEWAY_HOST, MIN_GATEWAY_TOKEN_CHARS } from './gateway';

/** The port the headless gateway listens on unless told otherwise (the relay's default is 5010). */
export const DEFAULT_GATEWAY_PORT = 5011;

const FLAGS = {
  server: SERVER_FLAG,
  port: { type: 'string', value: 'N', help: `port on ${GATEWAY_HOST} (default ${DEFAULT_GATEWAY_PORT}; 0 = any free port, printed at start)` },
  'token-file': {
    type: 'string',
    value: 'F',
    help: ['file holding the bearer token clients must send (one line, mode 600);', 'without it a token is generated and printed once'],
  },
} as const;

export const GATEWAY_USAGE = formatHelp(FLAGS, {
  usage: 'Usage: tokenplace-gateway --server URL [options]',
  about: [
    `Serves an OpenAI-compatible API (/v1/chat/completions, streaming included, and /v1/models) on`,
    `${GATEWAY_HOST}, for tools on this machine. Every request goes end-to-end encrypted through the`,
    'token.place relay to a compute node; clients authenticate with "Authorization: Bearer <token>".',
  ].join('\n'),
  sections: [{ title: 'Options:', flags: ['server', 'port', 'token-file'] }],
  column: 24,
  footer: 'Runs until Ctrl-C or SIGTERM. Exit status: 0 stopped, 1 could not start, 2 usage error.',
});

export interface GatewayCliOptions {
  server: string;
  port: number;
  /** From --token-file; undefined = generate one. */
  token?: string;
}

export type GatewayCliParse = { kind: 'help' } | { kind: 'run'; options: GatewayCliOptions } | { kind: 'usage-error'; message: string };

export function parseGatewayArgs(argv: string[], env: Record<string, string | undefined>): GatewayCliParse {
  try {
    const parsed = parseFlags(FLAGS, argv, { env });
    if (parsed.help) return { kind: 'help' };
    const v = parsed.values;
    const options: GatewayCliOptions = {
      server: serverUrlFrom(v.server, parsed.source('server')),
      port: wholeNumber('--port', v.port, { min: 0, max: 65535 }) ?? DEFAULT_GATEWAY_PORT,
    };
    if (v['token-file'] !== undefined) options.token = tokenFrom(v['token-file']);
    return { kind: 'run', options };
  } catch (err) {
    if (err instanceof CliUsageError) return { kind: 'usage-error', message: err.message };
    throw err;
  }
}

/** The one token of the file; refused when other users could read it or it is not a usable bearer token. */
function tokenFrom(path: string): string {
  const [token] = readTokenFile(path, '--token-file', 'one', 'tokenplace-gateway');
  const exposed = tokenFileExposure(path, '--token-file');
  if (exposed) throw new CliUsageError(exposed, '--token-file');
  const fail = (problem: string): never => {
    throw new CliUsageError(`--token-file: cannot use ${path}: ${problem}`, '--token-file');
  };
  if (!/^[\x21-\x7e]+$/.test(token!)) fail('the token must be printable ASCII without spaces (it is sent in an HTTP header)');
  if (token!.length < MIN_GATEWAY_TOKEN_CHARS) fail(`the token has ${token!.length} characters; use at least ${MIN_GATEWAY_TOKEN_CHARS} (e.g. openssl rand -base64 32)`);
  return token!;
}
