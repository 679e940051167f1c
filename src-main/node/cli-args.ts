// Flags and environment of the `tokenplace-node` bin, parsed into a checked configuration.
import { parseArgs } from 'node:util';
import { BACKEND_CLASSES, CONTEXT_TIER_NAMES, PROVIDER_KINDS, type BackendClass, type ContextTier, type ProviderKind } from '../../src-shared/vocabulary';

export const NODE_CLI_USAGE = `Usage: tokenplace-node --relay URL [options]

Runs a token.place compute node: registers with a relay, receives end-to-end encrypted prompts,
answers them with a local or remote model, and returns encrypted answers.

Relay:
  --relay URL              Relay base URL (env TOKENPLACE_RELAY_URL), e.g. http://127.0.0.1:5010
  --relay-token TOKEN      X-Relay-Server-Token if the relay requires one (env TOKENPLACE_RELAY_SERVER_TOKEN)

Model provider:
  --provider NAME          openai-compatible (default) | anthropic | test
  --base-url URL           OpenAI-compatible server, e.g. http://127.0.0.1:11434/v1 (Ollama),
                           http://127.0.0.1:1234/v1 (LM Studio), http://127.0.0.1:8080/v1 (llama.cpp);
                           for anthropic an optional API base URL
  --api-key KEY            Provider API key. Prefer the environment: TOKENPLACE_PROVIDER_API_KEY,
                           else OPENAI_API_KEY (openai-compatible) or ANTHROPIC_API_KEY (anthropic)
  --model NAME             Provider model name (default: the first model the server lists)
  --timeout SECONDS        Provider call timeout (default 120)
  --stream-progress        OpenAI-compatible: stream from the provider to report generated tokens
                           as encrypted progress (the client still gets one answer)

What the node offers:
  --model-id ID[,ALIAS…]   Model id clients ask for, plus aliases (default: the --model name)
  --models-file PATH       JSON model configurations instead of --model/--model-id
  --context-tier TIER      8k-fast (default) | 64k-full
  --context-tokens N       Context window of the model (default: the tier size)
  --max-output-tokens N    Output cap per request (default 8192)
  --max-concurrency N      Requests served at once, 1–128 (default 1)
  --backend CLASS          cpu | cuda | metal | vulkan | gpu | unknown (default unknown)

Security:
  --rotate-keys-every S    Rotate the node key pair every S seconds (default: never)
  --reply-padding P        mirror (default: reply with the wrap the request used, so
                           browsers get PKCS#1 v1.5) | pkcs1v15 | oaep-sha256

  -h, --help               Show this help

The node never prints prompts, answers or keys. Ctrl-C unregisters from the relay and exits.`;

export interface NodeCliOptions {
  relayUrl: string;
  relayToken?: string;
  provider: ProviderKind;
  baseUrl?: string;
  apiKey?: string;
  model?: string;
  modelIds?: string[];
  modelsFile?: string;
  contextTier: ContextTier;
  contextTokens?: number;
  maxOutputTokens?: number;
  maxConcurrency: number;
  backendClass: BackendClass;
  timeoutMs: number;
  rotateKeysEveryMs?: number;
  replyPadding: 'pkcs1v15' | 'oaep-sha256' | 'mirror';
  streamProgress: boolean;
}

export type NodeCliParse = { kind: 'help' } | { kind: 'run'; options: NodeCliOptions };

/** Wrong flags or values: the message is printed with a hint to --help, exit code 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

function positiveInt(flag: string, value: string | undefined, max = 1_000_000): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new CliUsageError(`${flag} must be a whole number from 1 to ${max}`);
  return n;
}

function positiveSeconds(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new CliUsageError(`${flag} must be a positive number of seconds`);
  return n;
}

function httpUrl(flag: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliUsageError(`${flag} is not a URL: expected e.g. http://127.0.0.1:5010`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliUsageError(`${flag} must be an http:// or https:// URL`);
  return value.replace(/\/+$/, '');
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new CliUsageError(`${flag} must be one of: ${allowed.join(', ')}`);
  return value as T;
}

export function parseNodeCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv): NodeCliParse {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        relay: { type: 'string' },
        'relay-token': { type: 'string' },
        provider: { type: 'string' },
        'base-url': { type: 'string' },
        'api-key': { type: 'string' },
        model: { type: 'string' },
        'model-id': { type: 'string' },
        'models-file': { type: 'string' },
        'context-tier': { type: 'string' },
        'context-tokens': { type: 'string' },
        'max-output-tokens': { type: 'string' },
        'max-concurrency': { type: 'string' },
        backend: { type: 'string' },
        timeout: { type: 'string' },
        'rotate-keys-every': { type: 'string' },
        'reply-padding': { type: 'string' },
        'stream-progress': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new CliUsageError((err as Error).message.replace(/\. To specify.*$/s, ''));
  }
  if (values.help) return { kind: 'help' };

  const relay = values.relay ?? env.TOKENPLACE_RELAY_URL;
  if (!relay) throw new CliUsageError('--relay URL is required (or set TOKENPLACE_RELAY_URL)');
  const provider = oneOf('--provider', values.provider, PROVIDER_KINDS, 'openai-compatible');

  const apiKey =
    values['api-key'] ??
    env.TOKENPLACE_PROVIDER_API_KEY ??
    (provider === 'openai-compatible' ? env.OPENAI_API_KEY : provider === 'anthropic' ? env.ANTHROPIC_API_KEY : undefined);
  if (provider === 'openai-compatible' && !values['base-url']) {
    throw new CliUsageError('--base-url is required for --provider openai-compatible (e.g. http://127.0.0.1:11434/v1 for Ollama)');
  }
  if (provider === 'anthropic' && !apiKey) {
    throw new CliUsageError('an Anthropic API key is required: set ANTHROPIC_API_KEY or TOKENPLACE_PROVIDER_API_KEY');
  }
  if (values['models-file'] && (values['model-id'] || values['context-tier'] || values['context-tokens'] || values['max-output-tokens'])) {
    throw new CliUsageError('--models-file replaces --model-id, --context-tier, --context-tokens and --max-output-tokens; use one or the other');
  }
  const modelIds = values['model-id']
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (values['model-id'] !== undefined && !modelIds?.length) throw new CliUsageError('--model-id needs at least one id');

  const options: NodeCliOptions = {
    relayUrl: httpUrl('--relay', relay),
    provider,
    contextTier: oneOf('--context-tier', values['context-tier'], CONTEXT_TIER_NAMES, '8k-fast'),
    maxConcurrency: positiveInt('--max-concurrency', values['max-concurrency'], 128) ?? 1,
    backendClass: oneOf('--backend', values.backend, BACKEND_CLASSES, 'unknown'),
    timeoutMs: (positiveSeconds('--timeout', values.timeout) ?? 120) * 1000,
    replyPadding: oneOf('--reply-padding', values['reply-padding'], ['pkcs1v15', 'oaep-sha256', 'mirror'] as const, 'mirror'),
    streamProgress: values['stream-progress'] === true,
  };
  const relayToken = values['relay-token'] ?? env.TOKENPLACE_RELAY_SERVER_TOKEN;
  if (relayToken) options.relayToken = relayToken;
  if (values['base-url']) options.baseUrl = httpUrl('--base-url', values['base-url']);
  if (apiKey) options.apiKey = apiKey;
  if (values.model) options.model = values.model;
  if (modelIds) options.modelIds = modelIds;
  if (values['models-file']) options.modelsFile = values['models-file'];
  const contextTokens = positiveInt('--context-tokens', values['context-tokens']);
  if (contextTokens) options.contextTokens = contextTokens;
  const maxOutput = positiveInt('--max-output-tokens', values['max-output-tokens']);
  if (maxOutput) options.maxOutputTokens = maxOutput;
  const rotate = positiveSeconds('--rotate-keys-every', values['rotate-keys-every']);
  if (rotate) options.rotateKeysEveryMs = rotate * 1000;
  return { kind: 'run', options };
}
