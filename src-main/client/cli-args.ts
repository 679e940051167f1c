// Argument parsing of `tokenplace-chat` (pure; no I/O).
import { CliUsageError, formatHelp, numberFrom, oneOf, parseFlags, positiveSeconds, wholeNumber } from '../cli-flags';
import { INNER_REQUEST_LIMITS } from '../../src-shared/protocol/constants';
import { PARAM_LIMITS } from '../../src-shared/vocabulary/steer';
import { CONTEXT_TIER_NAMES, type ContextTier } from '../../src-shared/vocabulary';
import { SERVER_FLAG, serverUrlFrom } from './cli-server-flag';

/** The bounds the inner request enforces (§2.3.1), so the CLI refuses what a node would (the window's, too). */
const TEMPERATURE_RANGE = { min: PARAM_LIMITS.temperature.min, max: PARAM_LIMITS.temperature.max };

const FLAGS = {
  server: SERVER_FLAG,
  model: { type: 'string', value: 'M', help: "model id (default: the relay's default model)" },
  'context-tier': { type: 'string', value: 'T', help: `${CONTEXT_TIER_NAMES.join(' | ')} (default: automatic)` },
  system: { type: 'string', value: 'S', help: 'system prompt' },
  'max-tokens': { type: 'string', value: 'N', help: `output token limit (1-${INNER_REQUEST_LIMITS.maxTokens})` },
  temperature: { type: 'string', value: 'X', help: `sampling temperature (${TEMPERATURE_RANGE.min}-${TEMPERATURE_RANGE.max})` },
  timeout: { type: 'string', value: 'SEC', help: 'give up (and cancel the request) after SEC seconds' },
  json: { type: 'boolean', help: 'print the full answer as JSON (usage, node fingerprint, timings)' },
  'no-stream': { type: 'boolean', help: 'wait for the whole answer instead of printing it as it arrives' },
  verbose: { type: 'boolean', help: 'print progress to stderr' },
} as const;

export const CLI_USAGE = formatHelp(FLAGS, {
  usage: 'Usage: tokenplace-chat --server URL [options] [prompt]',
  about: [
    'Sends one prompt end-to-end encrypted through a token.place relay to a compute node and prints',
    'the answer. The prompt is read from stdin when it is not given as an argument; on a terminal',
    'with neither, an interactive chat opens (the conversation is kept; /help lists its commands).',
  ].join('\n'),
  sections: [{ title: 'Options:', flags: ['server', 'model', 'context-tier', 'system', 'max-tokens', 'temperature', 'timeout', 'json', 'no-stream', 'verbose'] }],
  column: 24,
  footer: 'Exit status: 0 answer printed, 1 the request failed, 2 usage error, 130 interrupted.',
});

export interface CliOptions {
  server: string;
  model?: string;
  contextTier?: ContextTier;
  system?: string;
  maxTokens?: number;
  temperature?: number;
  timeoutMs?: number;
  json: boolean;
  /** Print the answer as it arrives (§11); off with --no-stream or --json. */
  stream: boolean;
  verbose: boolean;
  /** undefined = read from stdin */
  prompt?: string;
}

export type CliParse = { kind: 'help' } | { kind: 'run'; options: CliOptions } | { kind: 'usage-error'; message: string };

export function parseCliArgs(argv: string[], env: Record<string, string | undefined>): CliParse {
  try {
    return optionsOf(argv, env);
  } catch (err) {
    if (err instanceof CliUsageError) return { kind: 'usage-error', message: err.message };
    throw err;
  }
}

function optionsOf(argv: string[], env: Record<string, string | undefined>): CliParse {
  const parsed = parseFlags(FLAGS, argv, { env, positionals: true });
  if (parsed.help) return { kind: 'help' };
  const v = parsed.values;

  const server = serverUrlFrom(v.server, parsed.source('server'));
  const options: CliOptions = { server, json: v.json === true, stream: v.json !== true && v['no-stream'] !== true, verbose: v.verbose === true };
  if (v.model !== undefined) {
    if (!v.model.trim()) throw new CliUsageError('--model must not be empty', '--model');
    options.model = v.model.trim();
  }
  const contextTier = oneOf('--context-tier', v['context-tier'], CONTEXT_TIER_NAMES);
  if (contextTier) options.contextTier = contextTier;
  if (v.system !== undefined) options.system = v.system;
  const maxTokens = wholeNumber('--max-tokens', v['max-tokens'], { min: 1, max: INNER_REQUEST_LIMITS.maxTokens });
  if (maxTokens !== undefined) options.maxTokens = maxTokens;
  const temperature = numberFrom('--temperature', v.temperature, TEMPERATURE_RANGE);
  if (temperature !== undefined) options.temperature = temperature;
  const timeout = positiveSeconds('--timeout', v.timeout);
  if (timeout !== undefined) options.timeoutMs = Math.round(timeout * 1000);
  if (parsed.positionals.length > 0) options.prompt = parsed.positionals.join(' ');
  return { kind: 'run', options };
}
