// Argument parsing of `tokenplace-chat` (pure; no I/O).
import { parseArgs } from 'node:util';
import { INNER_REQUEST_LIMITS } from '../../src-shared/protocol/constants';
import { InnerOptionsSchema } from '../../src-shared/protocol/inner-envelope';
import { CONTEXT_TIER_NAMES, type ContextTier } from '../../src-shared/vocabulary';
import { normalizeServerUrl } from './server-url';

export const CLI_USAGE = `Usage: tokenplace-chat --server URL [options] [prompt]

Sends one prompt end-to-end encrypted through a token.place relay to a compute node and prints
the answer. The prompt is read from stdin when it is not given as an argument.

Options:
  --server URL          relay address (http:// or https://); default: $TOKENPLACE_SERVER
  --model M             model id (default: the relay's default model)
  --context-tier T      ${CONTEXT_TIER_NAMES.join(' | ')} (default: automatic)
  --system S            system prompt
  --max-tokens N        output token limit (1-${INNER_REQUEST_LIMITS.maxTokens})
  --temperature X       sampling temperature (0-2)
  --timeout SEC         give up (and cancel the request) after SEC seconds
  --json                print the full answer as JSON (usage, node fingerprint, timings)
  --verbose             print progress to stderr
  -h, --help            show this help

Exit status: 0 answer printed, 1 the request failed, 2 usage error, 130 interrupted.`;

export interface CliOptions {
  server: string;
  model?: string;
  contextTier?: ContextTier;
  system?: string;
  maxTokens?: number;
  temperature?: number;
  timeoutMs?: number;
  json: boolean;
  verbose: boolean;
  /** undefined = read from stdin */
  prompt?: string;
}

export type CliParse = { kind: 'help' } | { kind: 'run'; options: CliOptions } | { kind: 'usage-error'; message: string };

export function parseCliArgs(argv: string[], env: Record<string, string | undefined>): CliParse {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        server: { type: 'string' },
        model: { type: 'string' },
        'context-tier': { type: 'string' },
        system: { type: 'string' },
        'max-tokens': { type: 'string' },
        temperature: { type: 'string' },
        timeout: { type: 'string' },
        json: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    return { kind: 'usage-error', message: (err as Error).message };
  }
  const v = parsed.values;
  if (v.help) return { kind: 'help' };

  const serverRaw = v.server ?? env.TOKENPLACE_SERVER;
  if (!serverRaw) return { kind: 'usage-error', message: '--server URL is required (or set TOKENPLACE_SERVER)' };
  let server: string;
  try {
    server = normalizeServerUrl(serverRaw);
  } catch (err) {
    return { kind: 'usage-error', message: `--server: ${(err as Error).message.replace(/^invalid_server_url: /, '')}` };
  }
  const options: CliOptions = { server, json: v.json, verbose: v.verbose };
  if (v.model !== undefined) {
    if (!v.model.trim()) return { kind: 'usage-error', message: '--model must not be empty' };
    options.model = v.model.trim();
  }
  if (v['context-tier'] !== undefined) {
    if (!(CONTEXT_TIER_NAMES as string[]).includes(v['context-tier'])) {
      return { kind: 'usage-error', message: `--context-tier must be one of ${CONTEXT_TIER_NAMES.join(', ')}` };
    }
    options.contextTier = v['context-tier'] as ContextTier;
  }
  if (v.system !== undefined) options.system = v.system;
  if (v['max-tokens'] !== undefined) {
    const n = Number(v['max-tokens']);
    if (!InnerOptionsSchema.shape.max_tokens.safeParse(n).success) {
      return { kind: 'usage-error', message: `--max-tokens must be an integer from 1 to ${INNER_REQUEST_LIMITS.maxTokens}` };
    }
    options.maxTokens = n;
  }
  if (v.temperature !== undefined) {
    const x = Number(v.temperature);
    if (v.temperature.trim() === '' || !InnerOptionsSchema.shape.temperature.safeParse(x).success) return { kind: 'usage-error', message: '--temperature must be a number from 0 to 2' };
    options.temperature = x;
  }
  if (v.timeout !== undefined) {
    const sec = Number(v.timeout);
    if (!Number.isFinite(sec) || sec <= 0 || v.timeout.trim() === '') return { kind: 'usage-error', message: '--timeout must be a positive number of seconds' };
    options.timeoutMs = Math.round(sec * 1000);
  }
  if (parsed.positionals.length > 0) options.prompt = parsed.positionals.join(' ');
  return { kind: 'run', options };
}
