// `tokenplace-chat`: one prompt, end-to-end encrypted through a relay; testable without a process.
import { EXIT, usageFailure, type CliIo } from '../cli-flags';
import { CLI_USAGE, parseCliArgs, type CliOptions } from './cli-args';
import { runInteractiveChat } from './cli-interactive';
import { endPartialLine, restOfAnswer, sendTurn } from './cli-turn';
import { isChatError } from './errors';
import type { FetchLike } from './http';
import { RelayClient } from './relay-client';
import type { ChatMessage, ChatStatus } from './types';

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
    if (io.stdin.isTTY) return interactive(io, opts);
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
  const outcome = await sendTurn(client, opts, messages, { stdout: io.stdout, signal: io.signal, onStatus: verboseStatus(io, opts) });
  if (outcome.kind === 'answer') {
    if (opts.json) io.stdout.write(`${JSON.stringify(outcome.answer, null, 2)}\n`);
    else io.stdout.write(`${restOfAnswer(outcome.answer.content, outcome.shown)}\n`);
    return EXIT.ok;
  }
  const err = outcome.error;
  if (!isChatError(err)) {
    io.stderr.write(`tokenplace-chat: unexpected failure: ${(err as Error)?.message ?? String(err)}\n`);
    return EXIT.failed;
  }
  // A partial streamed answer stays printed; its line is ended before the error.
  endPartialLine(io.stdout, outcome.shown);
  io.stderr.write(`tokenplace-chat: ${err.userMessage} [${err.code}]\n`);
  if (opts.json) io.stdout.write(`${JSON.stringify({ error: { code: err.code, message: err.userMessage, retryable: err.retryable } }, null, 2)}\n`);
  return err.code === 'requester_cancelled' ? EXIT.interrupted : EXIT.failed;
}

/** A terminal and no prompt: the interactive chat (cli-interactive.ts). */
function interactive(io: ChatCliIo, opts: CliOptions): Promise<number> | number {
  if (opts.json) return usageFailure(io, 'tokenplace-chat', '--json needs a prompt (as an argument or on stdin); the interactive chat prints text');
  const client = new RelayClient({ baseUrl: opts.server, ...(io.fetch ? { fetch: io.fetch } : {}) });
  return runInteractiveChat(client, opts, {
    input: io.stdin as NodeJS.ReadableStream,
    output: io.stdout as NodeJS.WritableStream,
    stderr: io.stderr,
    isTTY: true,
    ...(io.signal && { signal: io.signal }),
    onStatus: verboseStatus(io, opts),
  });
}

/** --verbose: each status of a request as a line on stderr. */
export function verboseStatus(io: Pick<ChatCliIo, 'stderr'>, opts: CliOptions): ((s: ChatStatus) => void) | undefined {
  return opts.verbose ? (s) => io.stderr.write(`tokenplace-chat: ${describeStatus(s)}\n`) : undefined;
}
