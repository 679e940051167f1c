// The gateway's `stream: true` answer: standard OpenAI `chat.completion.chunk` Server-Sent Events
// ending in `data: [DONE]`. Each authenticated delta of the relay client (docs/protocol.md §11.7)
// becomes one chunk; text the answer has beyond what streamed (an answer that arrived whole, or
// snapshots that stopped growing, §11.6) follows as one more; then the finish reason and, with
// `stream_options.include_usage`, a usage chunk. A failure before anything was written is an
// ordinary JSON error; after, an `error` event (which the official client raises) ends the stream.
// Client disconnects are the caller's to handle (they cancel the request at the relay).
import type { ServerResponse } from 'node:http';
import { textAfterDelta } from './delta-text';
import type { OpenAIErrorBody } from './gateway-schema';
import type { ChatAnswer, ChatDelta } from './types';

interface CompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  system_fingerprint?: string;
  choices: { index: 0; delta: { role?: 'assistant'; content?: string }; finish_reason: string | null; logprobs: null }[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
}

/** Writes one completion as SSE to `res` as it streams; `id` and `model` until the answer names them. */
export class CompletionStream {
  private started = false;
  private streamed = '';
  private readonly created = Math.floor(Date.now() / 1000);

  constructor(
    private readonly res: ServerResponse,
    private readonly id: string,
    private readonly model: string,
    private readonly includeUsage: boolean,
  ) {}

  /** Whether anything was written (after that, errors can only be events). */
  get hasStarted(): boolean {
    return this.started;
  }

  delta(d: ChatDelta): void {
    const next = textAfterDelta(this.streamed, d);
    this.streamed = next.text;
    if (next.added) this.send(this.chunk({ content: next.added }, null));
  }

  finish(answer: ChatAnswer): void {
    const content = answer.content;
    const rest = content.startsWith(this.streamed) ? content.slice(this.streamed.length) : content;
    if (rest) this.send(this.chunk({ content: rest }, null, answer.model));
    this.send({ ...this.chunk({}, answer.finishReason ?? 'stop', answer.model), system_fingerprint: answer.nodeFingerprint.slice(0, 16) });
    if (this.includeUsage && answer.usage) {
      const { promptTokens, completionTokens, totalTokens } = answer.usage;
      this.send({ ...this.chunk({}, null, answer.model), choices: [], usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: totalTokens } });
    }
    this.end();
  }

  /**
   * The request failed: before anything was written, an ordinary JSON error with its status;
   * after, one `error` event and the end of the stream without `[DONE]` (the answer is not whole).
   */
  fail(status: number, body: OpenAIErrorBody): void {
    if (this.res.writableEnded) return;
    if (!this.started) {
      this.res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
      return;
    }
    this.res.end(`data: ${JSON.stringify(body)}\n\n`);
  }

  private chunk(delta: CompletionChunk['choices'][number]['delta'], finishReason: string | null, model = this.model): CompletionChunk {
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model,
      choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
      ...(this.includeUsage && { usage: null }),
    };
  }

  private send(chunk: CompletionChunk): void {
    if (this.res.writableEnded) return;
    if (!this.started) {
      this.started = true;
      this.res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      // OpenAI's first chunk names the role.
      this.res.write(`data: ${JSON.stringify(this.chunk({ role: 'assistant', content: '' }, null))}\n\n`);
    }
    this.res.write(`data: ${JSON.stringify(chunk)}\n\n`);
  }

  private end(): void {
    if (!this.res.writableEnded) this.res.end('data: [DONE]\n\n');
  }
}
