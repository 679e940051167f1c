// `tokenplace-chat`: one prompt, end-to-end encrypted through a relay; testable without a process.
import { EXIT, usageFailure, type CliIo } from '../cli-flags';
import { CLI_USAGE, parseCliArgs, type CliOptions } from './cli-args';
import { textAfterDelta } from './delta-text';
import { isChatError } from './errors';
import type { FetchLike } from './http';
import { RelayClient } from './relay-client';
import type { ChatDelta, ChatMessage, ChatStatus } from './types';

/** The process's streams (tests pass their own); the signal (Ctrl-C) cancels the request at the relay. */
export type ChatCliIo = Omit<CliIo, 'signal'> & { signal?: AbortSignal; fetch?: FetchLike };

const MAX_STDIN_PROMPT_BYTES = 1024 * 1024;

async function readPrompt(stdin: ChatCliIo['stdin']): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    total += b.length;
    if (total > MAX_STDIN_PROMPT_BYTES) throw new Error(`prompt on stdin is larger than ${MAX_STDIN_PROMPT_BYTES} bytes`);
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

function describeStatus(s: ChatStatus): string {
  switch (s.type) {
    case 'finding_node':
      return `finding a node (attempt ${s.attempt})`;
    case 'confirming_node':
      return `waiting for node key ${s.nodeFingerprint.slice(0, 16)}… to be confirmed`;
    case 'submitted':
      return `submitted to node ${s.nodeFingerprint.slice(0, 16)}… (${s.contextTier})`;
    case 'queued':
      return 'waiting for the node';
    case 'progress':
      return s.phase === 'generating'
        ? `generating: ${s.generatedTokens} tokens`
        : `${s.phase}: ${s.processedPromptTokens}/${s.totalPromptTokens} prompt tokens`;
    case 'answer_refused':
      return 'refused an answer that did not come from the node (still waiting for the genuine one)';
    case 'failover':
      return `node failed (${s.reason}); trying another (${s.failovers})`;
  }
}

/** What the answer adds to the streamed text (snapshots may stop short of it, §11.6); all of it when it does not continue it. */
function rest(content: string, shown: string): string {
  if (!shown) return content;
  return content.startsWith(shown) ? content.slice(shown.length) : `\n${content}`;
}

export async function runCli(io: ChatCliIo): Promise<number> {
  const parsed = parseCliArgs(io.argv, io.env);
  if (parsed.kind === 'help') {
    io.stdout.write(`${CLI_USAGE}\n`);
    return EXIT.ok;
  }
  if (parsed.kind === 'usage-error') {
    return usageFailure(io, 'tokenplace-chat', parsed.message, `\n${CLI_USAGE}`);
  }
  const opts: CliOptions = parsed.options;
  let prompt = opts.prompt;
  if (prompt === undefined) {
    if (io.stdin.isTTY) {
      io.stderr.write('tokenplace-chat: no prompt given (pass it as an argument or on stdin)\n');
      return EXIT.usage;
    }
    try {
      prompt = await readPrompt(io.stdin);
    } catch (err) {
      io.stderr.write(`tokenplace-chat: ${(err as Error).message}\n`);
      return EXIT.usage;
    }
  }
  if (!prompt.trim()) {
    io.stderr.write('tokenplace-chat: the prompt is empty\n');
    return EXIT.usage;
  }

  const messages: ChatMessage[] = [];
  if (opts.system) messages.push({ role: 'system', content: opts.system });
  messages.push({ role: 'user', content: prompt });
  const client = new RelayClient({ baseUrl: opts.server, ...(io.fetch ? { fetch: io.fetch } : {}) });
  // Streamed text goes to stdout as it is authenticated (§11.7); the answer then adds what is missing.
  let shown = '';
  const onDelta = opts.stream
    ? (d: ChatDelta) => {
        const next = textAfterDelta(shown, d);
        shown = next.text;
        io.stdout.write(next.added);
      }
    : undefined;
  try {
    const answer = await client.chat({
      messages,
      model: opts.model,
      contextTier: opts.contextTier,
      options: {
        ...(opts.maxTokens !== undefined ? { max_tokens: opts.maxTokens } : {}),
        ...(opts.temperature !== undefined ? { temperature: opts.temperature } : {}),
      },
      timeoutMs: opts.timeoutMs,
      signal: io.signal,
      onStatus: opts.verbose ? (s) => io.stderr.write(`tokenplace-chat: ${describeStatus(s)}\n`) : undefined,
      ...(onDelta && { onDelta }),
    });
    if (opts.json) io.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
    else io.stdout.write(`${rest(answer.content, shown)}\n`);
    return EXIT.ok;
  } catch (err) {
    if (!isChatError(err)) {
      io.stderr.write(`tokenplace-chat: unexpected failure: ${(err as Error)?.message ?? String(err)}\n`);
      return EXIT.failed;
    }
    // A partial streamed answer stays printed; its line is ended before the error.
    if (shown && !shown.endsWith('\n')) io.stdout.write('\n');
    io.stderr.write(`tokenplace-chat: ${err.userMessage} [${err.code}]\n`);
    if (opts.json) io.stdout.write(`${JSON.stringify({ error: { code: err.code, message: err.userMessage, retryable: err.retryable } }, null, 2)}\n`);
    return err.code === 'requester_cancelled' ? EXIT.interrupted : EXIT.failed;
  }
}
