// The `tokenplace-node` program with injectable I/O (tests drive it in-process; bin/tokenplace-node.js
// runs it through cli.ts).
import { EXIT, stopRequested, usageFailure, type CliIo } from '../cli-flags';
import { closeSharedUnwrapPool } from '../crypto';
import { CONTEXT_TIERS, DEFAULT_MODEL_ID } from '../../src-shared/protocol/constants';
import { CliUsageError, NODE_CLI_USAGE, parseNodeCliArgs, type NodeCliOptions } from './cli-args';
import { describeLoadedModel, openLocalProvider } from './cli-local-model';
import { KeyFileError, openKeyFile, type OpenedKeyFile } from './cli-key-file';
import { UNVERIFIED_NOTICE, startComputeNode, type ComputeNodeStatus } from './compute-node';
import { ModelConfigError, ProviderError, RegistrationRefusedError } from './errors';
import { ModelConfigSchema, loadModelConfigFile, type ModelConfig, type ModelConfigInput } from './model-config';
import { createProvider } from './providers/create-provider';
import type { ModelProvider } from './providers/types';

/** The process's streams and argv (tests pass their own); the signal's abort unregisters and ends with 0. */
export type NodeCliIo = Omit<CliIo, 'stdin'>;

const TEST_PROVIDER_MODEL = 'deterministic-test';

async function providerOf(o: NodeCliOptions, log: (line: string) => void): Promise<ModelProvider> {
  if (o.local) {
    const { provider, info } = await openLocalProvider(o.local, o.timeoutMs, log);
    log(describeLoadedModel(info));
    return provider;
  }
  return createProvider({
    kind: o.provider,
    ...(o.baseUrl && { baseUrl: o.baseUrl }),
    ...(o.apiKey && { apiKey: o.apiKey }),
    timeoutMs: o.timeoutMs,
    streamProgress: o.streamProgress,
    test: {
      models: [o.model ?? TEST_PROVIDER_MODEL],
      ...(o.test?.tokensPerSecond !== undefined && { tokensPerSecond: o.test.tokensPerSecond }),
      ...(o.test?.firstTokenDelayMs !== undefined && { delayMs: o.test.firstTokenDelayMs }),
      ...(o.test?.answerTokens !== undefined && { answerTokens: o.test.answerTokens }),
    },
  });
}

async function resolveModels(o: NodeCliOptions, provider: ModelProvider, warn: (s: string) => void): Promise<ModelConfig[]> {
  if (o.modelsFile) return loadModelConfigFile(o.modelsFile);
  let listed: string[] | null = null;
  try {
    listed = await provider.listModels(AbortSignal.timeout(10_000));
  } catch (err) {
    if (!o.model) {
      const why = err instanceof ProviderError ? err.reason : 'error';
      throw new ModelConfigError(`Cannot list the models of the provider at ${providerAddress(o)} (${why}); check --base-url and that it is running, or pass --model NAME`);
    }
    warn(`the provider did not answer its model list; requests get compute_node_runtime_unavailable until it does`);
  }
  const model = o.model ?? listed?.[0];
  if (!model) throw new ModelConfigError('The provider lists no models; pass --model NAME');
  if (listed && !listed.includes(model)) warn(`the provider does not list model "${model}"; requests may fail with compute_node_model_unsupported`);
  const ids = o.modelIds ?? [o.provider === 'test' ? DEFAULT_MODEL_ID : model];
  const maxOutput = o.maxOutputTokens ?? 8192;
  return [
    modelFromFlags(o, {
      id: ids[0]!,
      aliases: ids.slice(1),
      providerModel: model,
      contextTier: o.contextTier,
      ...(o.contextTokens ? { contextTokens: o.contextTokens } : {}),
      maxOutputTokens: maxOutput,
      defaultOutputTokens: Math.min(1024, maxOutput),
    }),
  ];
}

/** Where the provider's model list was asked for, for messages. */
function providerAddress(o: NodeCliOptions): string {
  if (o.baseUrl) return o.baseUrl;
  return o.provider === 'anthropic' ? 'the Anthropic API (its default address)' : `--provider ${o.provider}`;
}

/** The flag behind each field of the model configuration the flags make. */
const FLAG_OF_FIELD: Readonly<Record<string, string>> = {
  id: '--model-id',
  aliases: '--model-id',
  providerModel: '--model',
  contextTier: '--context-tier',
  contextTokens: '--context-tokens',
  maxOutputTokens: '--max-output-tokens',
  defaultOutputTokens: '--max-output-tokens',
};

/** The model the flags describe, or a ModelConfigError naming the flag that is wrong (never a field name). */
function modelFromFlags(o: NodeCliOptions, input: ModelConfigInput): ModelConfig {
  const checked = ModelConfigSchema.safeParse(input);
  if (checked.success) return checked.data;
  const issue = checked.error.issues[0]!;
  const field = String(issue.path[0] ?? '');
  const flag = FLAG_OF_FIELD[field] ?? 'the model flags';
  if (field === 'contextTokens') {
    throw new ModelConfigError(`${flag} must be at least ${CONTEXT_TIERS[o.contextTier]} for --context-tier ${o.contextTier} (got ${o.contextTokens})`);
  }
  throw new ModelConfigError(`${flag}: ${issue.message}`);
}

function describeStatus(s: ComputeNodeStatus): string {
  const fp = s.fingerprint ? s.fingerprint.slice(0, 16) : '-';
  switch (s.state) {
    case 'registered':
      // (no counters: the line is printed when the state changes, not after every request)
      return `registered with ${s.relayUrl} (key ${fp}…), offering ${s.models.join(', ')}`;
    case 'serving':
      return `serving ${s.inFlight} request(s) (max ${s.maxConcurrency}); served ${s.served}`;
    case 'error':
      return `problem: ${s.lastError ?? 'unknown'} — retrying`;
    default:
      return s.state;
  }
}

export async function runNodeCli(io: NodeCliIo): Promise<number> {
  const log = (line: string) => io.stderr.write(`tokenplace-node: ${line}\n`);
  let parsed;
  try {
    parsed = parseNodeCliArgs(io.argv, io.env);
  } catch (err) {
    if (!(err instanceof CliUsageError)) throw err;
    return usageFailure(io, 'tokenplace-node', err.message);
  }
  if (parsed.kind === 'help') {
    io.stdout.write(`${NODE_CLI_USAGE}\n`);
    return EXIT.ok;
  }
  const o = parsed.options;

  let node;
  let provider: ModelProvider | undefined;
  let keyFile: OpenedKeyFile | undefined;
  try {
    if (o.keyFile) {
      keyFile = await openKeyFile(o.keyFile, io.env, o.rotateKeysEveryMs);
      log(keyFile.describe);
    }
    provider = await providerOf(o, log);
    const models = await resolveModels(o, provider, (w) => log(`warning: ${w}`));
    if (io.signal.aborted) {
      await provider.close?.();
      return EXIT.ok;
    }
    node = await startComputeNode({
      relayUrl: o.relayUrl,
      ...(o.relayToken ? { relayToken: o.relayToken } : {}),
      provider,
      models,
      maxConcurrency: o.maxConcurrency,
      backendClass: o.backendClass,
      replyPadding: o.replyPadding,
      ...(o.rotateKeysEveryMs ? { keyRotationIntervalMs: o.rotateKeysEveryMs } : {}),
      ...(keyFile && { generateKeyPair: keyFile.source.generateKeyPair }),
    });
  } catch (err) {
    await provider?.close?.().catch(() => undefined);
    if (err instanceof ModelConfigError || err instanceof RegistrationRefusedError || err instanceof KeyFileError) {
      log(err.message);
      return EXIT.failed;
    }
    throw err;
  }

  let lastLine = '';
  const report = (s: ComputeNodeStatus) => {
    if (s.state === 'serving' || s.state === 'stopped') return;
    const line = describeStatus(s);
    if (line !== lastLine) log(line);
    lastLine = line;
  };
  report(node.status());
  node.on('status', report);
  node.on('request', (r) => {
    const id = r.requestId ? r.requestId.slice(0, 12) : '(no id)';
    log(`request ${id}: ${r.outcome}${r.code ? ` (${r.code})` : ''} in ${Math.round(r.timings.totalMs)} ms`);
  });
  // §9: say once, in plain words, when the relay does not verify that this node holds its key.
  if (node.status().verified === false) log(UNVERIFIED_NOTICE);
  node.on('notice', (n) => log(n.message));
  let saving: Promise<void> = Promise.resolve();
  node.on('rotated', (e) => {
    log(`rotated key ${e.previousFingerprint.slice(0, 16)}… → ${e.fingerprint.slice(0, 16)}…`);
    if (!keyFile) return;
    const file = keyFile;
    saving = saving.then(async () => {
      const warning = await file.saveRotation(e.fingerprint);
      if (warning) log(`warning: ${warning}`);
    });
  });

  await stopRequested(io.signal);
  log('stopping: unregistering from the relay');
  await node.stop();
  await provider.close?.();
  await saving;
  await closeSharedUnwrapPool();
  log('stopped');
  return EXIT.ok;
}
