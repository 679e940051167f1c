// Flags and environment of the `tokenplace-node` bin, parsed into a checked configuration.
import { CliUsageError, formatHelp, oneOf, parseFlags, positiveSeconds, urlItMeant, wholeNumber, type ParsedFlags } from '../cli-flags';
import { BACKEND_CLASSES, CONTEXT_TIER_NAMES, PROVIDER_KINDS, type BackendClass, type ContextTier, type ProviderKind } from '../../src-shared/vocabulary';

export { CliUsageError };

const REPLY_PADDINGS = ['pkcs1v15', 'oaep-sha256', 'mirror'] as const;
export const KEY_FILE_ENV = 'TOKENPLACE_NODE_KEY_FILE';
export const KEY_PASSPHRASE_ENV = 'TOKENPLACE_NODE_KEY_PASSPHRASE';
export const KEY_PASSPHRASE_FILE_ENV = 'TOKENPLACE_NODE_KEY_PASSPHRASE_FILE';

const FLAGS = {
  relay: { type: 'string', value: 'URL', env: ['TOKENPLACE_RELAY_URL'], help: 'Relay base URL (env TOKENPLACE_RELAY_URL), e.g. http://127.0.0.1:5010' },
  'relay-token': { type: 'string', value: 'TOKEN', env: ['TOKENPLACE_RELAY_SERVER_TOKEN'], help: 'X-Relay-Server-Token if the relay requires one (env TOKENPLACE_RELAY_SERVER_TOKEN)' },
  provider: { type: 'string', value: 'NAME', help: 'openai-compatible (default) | anthropic | local | test' },
  'base-url': {
    type: 'string',
    value: 'URL',
    help: [
      'OpenAI-compatible server, e.g. http://127.0.0.1:11434/v1 (Ollama),',
      'http://127.0.0.1:1234/v1 (LM Studio), http://127.0.0.1:8080/v1 (llama.cpp);',
      'for anthropic an optional API base URL',
    ],
  },
  'api-key': {
    type: 'string',
    value: 'KEY',
    help: ['Provider API key. Prefer the environment: TOKENPLACE_PROVIDER_API_KEY,', 'else OPENAI_API_KEY (openai-compatible) or ANTHROPIC_API_KEY (anthropic)'],
  },
  model: { type: 'string', value: 'NAME', help: 'Provider model name (default: the first model the server lists)' },
  timeout: { type: 'string', value: 'SECONDS', help: 'Provider call timeout (default 120)' },
  'stream-progress': {
    type: 'boolean',
    help: ['OpenAI-compatible: stream from the provider to report generated tokens', 'as encrypted progress (the client still gets one answer)'],
  },
  'model-file': { type: 'string', value: 'PATH', help: ['local: the .gguf model the built-in engine serves (a bare name', 'is looked up in --models-dir)'] },
  'models-dir': { type: 'string', value: 'DIR', help: 'local: folder of .gguf models (serves its only model without --model-file)' },
  'context-size': { type: 'string', value: 'N', help: 'local: context window the engine allocates (default: what memory allows, ≤ 8192)' },
  threads: { type: 'string', value: 'N', help: 'local: CPU threads (default: the math cores minus one, at least 1)' },
  'test-tokens-per-second': { type: 'string', value: 'N', help: 'test: emit the answer at N tokens a second (default: all at once)' },
  'test-first-token-ms': { type: 'string', value: 'MS', help: 'test: wait MS milliseconds before the first token (default 0)' },
  'test-answer-tokens': { type: 'string', value: 'N', help: 'test: answer with exactly N tokens (default: an echo of the prompt)' },
  'model-id': { type: 'string', value: 'ID[,ALIAS…]', help: 'Model id clients ask for, plus aliases (default: the --model name)' },
  'models-file': { type: 'string', value: 'PATH', help: 'JSON model configurations instead of --model/--model-id' },
  'context-tier': { type: 'string', value: 'TIER', help: `${CONTEXT_TIER_NAMES.join(' | ')} (default 8k-fast)` },
  'context-tokens': { type: 'string', value: 'N', help: 'Context window of the model (default: the tier size)' },
  'max-output-tokens': { type: 'string', value: 'N', help: 'Output cap per request (default 8192)' },
  'max-concurrency': { type: 'string', value: 'N', help: 'Requests served at once, 1–128 (default 1)' },
  backend: { type: 'string', value: 'CLASS', help: `${BACKEND_CLASSES.join(' | ')} (default unknown)` },
  'rotate-keys-every': { type: 'string', value: 'S', help: 'Rotate the node key pair every S seconds (default: never)' },
  'key-file': {
    type: 'string',
    value: 'PATH',
    env: [KEY_FILE_ENV],
    help: [
      'Keep the node key pair in this file, encrypted with a passphrase, so the',
      'node keeps its identity across restarts (created on first use; env',
      `${KEY_FILE_ENV}). Default: a new key pair at every start`,
    ],
  },
  'key-passphrase-file': {
    type: 'string',
    value: 'PATH',
    env: [KEY_PASSPHRASE_FILE_ENV],
    help: [`File holding the key file's passphrase; or set ${KEY_PASSPHRASE_ENV}.`, 'The passphrase itself is never a flag (anyone can read flags in ps)'],
  },
  'reply-padding': {
    type: 'string',
    value: 'P',
    help: ['mirror (default: reply with the wrap the request used, so', 'browsers get PKCS#1 v1.5) | pkcs1v15 | oaep-sha256'],
  },
} as const;

export const NODE_CLI_USAGE = formatHelp(FLAGS, {
  usage: 'Usage: tokenplace-node --relay URL [options]',
  about: [
    'Runs a token.place compute node: registers with a relay, receives end-to-end encrypted prompts,',
    'answers them with a local or remote model, and returns encrypted answers.',
  ].join('\n'),
  sections: [
    { title: 'Relay:', flags: ['relay', 'relay-token'] },
    { title: 'Model provider:', flags: ['provider', 'base-url', 'api-key', 'model', 'timeout', 'stream-progress'] },
    { title: 'Built-in engine (--provider local):', flags: ['model-file', 'models-dir', 'context-size', 'threads'] },
    { title: 'Deterministic test provider (--provider test, no model):', flags: ['test-tokens-per-second', 'test-first-token-ms', 'test-answer-tokens'] },
    { title: 'What the node offers:', flags: ['model-id', 'models-file', 'context-tier', 'context-tokens', 'max-output-tokens', 'max-concurrency', 'backend'] },
    { title: 'Security:', flags: ['rotate-keys-every', 'key-file', 'key-passphrase-file', 'reply-padding'] },
  ],
  helpLine: 'Show this help',
  column: 27,
  footer: 'The node never prints prompts, answers or keys. Ctrl-C unregisters from the relay and exits.',
});

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
  /** The encrypted key file and where its passphrase comes from (read when the node starts). */
  keyFile?: { path: string; passphrase: { file: string } | { env: string } };
  replyPadding: 'pkcs1v15' | 'oaep-sha256' | 'mirror';
  streamProgress: boolean;
  /** --provider local: the model file (as typed), its folder, and the engine's sizing. */
  local?: LocalModelOptions;
  /** --provider test: the pace and length of its answers. */
  test?: TestProviderOptions;
}

export interface TestProviderOptions {
  tokensPerSecond?: number;
  firstTokenDelayMs?: number;
  answerTokens?: number;
}

export interface LocalModelOptions {
  modelFile?: string;
  modelsDir?: string;
  contextSize?: number;
  threads?: number;
}

export type NodeCliParse = { kind: 'help' } | { kind: 'run'; options: NodeCliOptions };

/** Bounds of the counts without a tighter limit of their own. */
const WHOLE_NUMBER_RANGE = { min: 1, max: 1_000_000 };

function httpUrl(flag: string, value: string): string {
  const meant = urlItMeant(value);
  if (meant) throw new CliUsageError(`${flag} is not a URL: ${value.trim()} has no http:// or https://; did you mean ${meant}?`, flag);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliUsageError(`${flag} is not a URL: expected e.g. http://127.0.0.1:5010`, flag);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliUsageError(`${flag} must be an http:// or https:// URL`, flag);
  return value.replace(/\/+$/, '');
}

const LOCAL_FLAGS = ['model-file', 'models-dir', 'context-size', 'threads'] as const;

/** --provider local's flags; the others refuse them rather than ignore them. */
function localModelOptions(provider: ProviderKind, values: { [K in (typeof LOCAL_FLAGS)[number]]?: string | undefined }): LocalModelOptions | undefined {
  if (provider !== 'local') {
    const given = LOCAL_FLAGS.find((f) => values[f] !== undefined);
    if (given) throw new CliUsageError(`--${given} is for --provider local (the built-in engine)`, `--${given}`);
    return undefined;
  }
  if (!values['model-file'] && !values['models-dir']) {
    throw new CliUsageError('--provider local needs --model-file PATH.gguf (or --models-dir DIR holding one .gguf model)', '--model-file');
  }
  const contextSize = wholeNumber('--context-size', values['context-size'], { min: 256, max: 1_048_576 });
  const threads = wholeNumber('--threads', values.threads, { min: 1, max: 512 });
  return {
    ...(values['model-file'] && { modelFile: values['model-file'] }),
    ...(values['models-dir'] && { modelsDir: values['models-dir'] }),
    ...(contextSize !== undefined && { contextSize }),
    ...(threads !== undefined && { threads }),
  };
}

/** The key file and its passphrase's source: a file, or the environment — never a flag. */
function keyFileOf(parsed: ParsedFlags<typeof FLAGS>, env: NodeJS.ProcessEnv): NodeCliOptions['keyFile'] {
  const path = parsed.values['key-file'];
  const passphraseFile = parsed.values['key-passphrase-file'];
  const fromEnv = env[KEY_PASSPHRASE_ENV] !== undefined && env[KEY_PASSPHRASE_ENV] !== '';
  if (!path) {
    if (passphraseFile) throw new CliUsageError(`${parsed.source('key-passphrase-file')} needs --key-file PATH`, parsed.source('key-passphrase-file'));
    return undefined;
  }
  if (passphraseFile && fromEnv) {
    throw new CliUsageError(`give the key file's passphrase once: ${parsed.source('key-passphrase-file')} or ${KEY_PASSPHRASE_ENV}, not both`, parsed.source('key-passphrase-file'));
  }
  if (passphraseFile) return { path, passphrase: { file: passphraseFile } };
  if (fromEnv) return { path, passphrase: { env: KEY_PASSPHRASE_ENV } };
  throw new CliUsageError(
    `${parsed.source('key-file')} needs a passphrase: set ${KEY_PASSPHRASE_ENV} or pass --key-passphrase-file PATH`,
    parsed.source('key-file'),
  );
}

const TEST_FLAGS = ['test-tokens-per-second', 'test-first-token-ms', 'test-answer-tokens'] as const;

/** --provider test's flags; the others refuse them rather than ignore them. */
function testProviderOptions(provider: ProviderKind, values: { [K in (typeof TEST_FLAGS)[number]]?: string | undefined }): TestProviderOptions | undefined {
  const given = TEST_FLAGS.find((f) => values[f] !== undefined);
  if (provider !== 'test') {
    if (given) throw new CliUsageError(`--${given} is for --provider test (the deterministic test provider)`, `--${given}`);
    return undefined;
  }
  if (!given) return undefined;
  const tokensPerSecond = wholeNumber('--test-tokens-per-second', values['test-tokens-per-second'], { min: 1, max: 100_000 });
  const firstTokenDelayMs = wholeNumber('--test-first-token-ms', values['test-first-token-ms'], { min: 0, max: 600_000 });
  const answerTokens = wholeNumber('--test-answer-tokens', values['test-answer-tokens'], { min: 1, max: 1_000_000 });
  return {
    ...(tokensPerSecond !== undefined && { tokensPerSecond }),
    ...(firstTokenDelayMs !== undefined && { firstTokenDelayMs }),
    ...(answerTokens !== undefined && { answerTokens }),
  };
}

export function parseNodeCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv): NodeCliParse {
  const secretFlag = argv.find((a) => a === '--key-passphrase' || a.startsWith('--key-passphrase='));
  if (secretFlag) {
    throw new CliUsageError(
      `the key file's passphrase is never a flag (anyone can read flags in ps): set ${KEY_PASSPHRASE_ENV} or pass --key-passphrase-file PATH`,
      '--key-passphrase',
    );
  }
  const parsed = parseFlags(FLAGS, argv, { env });
  if (parsed.help) return { kind: 'help' };
  const values = parsed.values;

  const relay = values.relay;
  if (!relay) throw new CliUsageError('--relay URL is required (or set TOKENPLACE_RELAY_URL)', '--relay');
  const provider = oneOf('--provider', values.provider, PROVIDER_KINDS) ?? 'openai-compatible';

  const apiKey =
    values['api-key'] ??
    env.TOKENPLACE_PROVIDER_API_KEY ??
    (provider === 'openai-compatible' ? env.OPENAI_API_KEY : provider === 'anthropic' ? env.ANTHROPIC_API_KEY : undefined);
  if (provider === 'openai-compatible' && !values['base-url']) {
    throw new CliUsageError('--base-url is required for --provider openai-compatible (e.g. http://127.0.0.1:11434/v1 for Ollama)', '--base-url');
  }
  if (provider === 'anthropic' && !apiKey) {
    throw new CliUsageError('an Anthropic API key is required: set ANTHROPIC_API_KEY or TOKENPLACE_PROVIDER_API_KEY', '--api-key');
  }
  const local = localModelOptions(provider, values);
  const test = testProviderOptions(provider, values);
  if (values['models-file'] && (values['model-id'] || values['context-tier'] || values['context-tokens'] || values['max-output-tokens'])) {
    throw new CliUsageError('--models-file replaces --model-id, --context-tier, --context-tokens and --max-output-tokens; use one or the other', '--models-file');
  }
  const modelIds = values['model-id']
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (values['model-id'] !== undefined && !modelIds?.length) throw new CliUsageError('--model-id needs at least one id', '--model-id');

  const options: NodeCliOptions = {
    relayUrl: httpUrl(parsed.source('relay'), relay),
    provider,
    contextTier: oneOf('--context-tier', values['context-tier'], CONTEXT_TIER_NAMES) ?? '8k-fast',
    maxConcurrency: wholeNumber('--max-concurrency', values['max-concurrency'], { min: 1, max: 128 }) ?? 1,
    backendClass: oneOf('--backend', values.backend, BACKEND_CLASSES) ?? 'unknown',
    timeoutMs: (positiveSeconds('--timeout', values.timeout) ?? 120) * 1000,
    replyPadding: oneOf('--reply-padding', values['reply-padding'], REPLY_PADDINGS) ?? 'mirror',
    streamProgress: values['stream-progress'] === true,
  };
  const relayToken = values['relay-token'];
  if (relayToken) options.relayToken = relayToken;
  if (values['base-url']) options.baseUrl = httpUrl('--base-url', values['base-url']);
  if (apiKey) options.apiKey = apiKey;
  if (values.model) options.model = values.model;
  if (modelIds) options.modelIds = modelIds;
  if (values['models-file']) options.modelsFile = values['models-file'];
  if (local) options.local = local;
  if (test) options.test = test;
  const contextTokens = wholeNumber('--context-tokens', values['context-tokens'], WHOLE_NUMBER_RANGE);
  if (contextTokens) options.contextTokens = contextTokens;
  const maxOutput = wholeNumber('--max-output-tokens', values['max-output-tokens'], WHOLE_NUMBER_RANGE);
  if (maxOutput) options.maxOutputTokens = maxOutput;
  const rotate = positiveSeconds('--rotate-keys-every', values['rotate-keys-every']);
  if (rotate) options.rotateKeysEveryMs = rotate * 1000;
  const keyFile = keyFileOf(parsed, env);
  if (keyFile) options.keyFile = keyFile;
  return { kind: 'run', options };
}
