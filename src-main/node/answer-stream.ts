// A streamed answer (docs/protocol.md §11): an aead-v1 request with top-level `stream: true`, on a
// registration whose relay has the chunk routes (§11.2–§11.5) or at least encrypted progress
// (snapshots, §11.6). The provider's text passes the think filter (stream-text.ts), then goes out
// as chunks or snapshots; the success answer's content is exactly the text that went out, and
// it is posted only after the relay holds the final chunk (§11.3). CBC requests never stream.
import { jsonPlaintext, sealAeadStreamChunk, type AeadV1Session } from '../crypto';
import type { InnerUsage } from '../../src-shared/protocol/inner-envelope';
import { ChunkPublisher } from './chunk-publisher';
import type { ProgressPublisher } from './progress-publisher';
import type { NodeRelayApi } from './relay-api';
import { StreamTextFilter } from './stream-text';

export type StreamTransport = 'chunks' | 'snapshots';

/** §11.1: which transport a request streams by, or null when its answer arrives whole. */
export function streamTransport(input: {
  requested: boolean;
  profile: 'aead-v1' | 'reference-cbc';
  chunkRoutes: boolean;
  progress: boolean;
}): StreamTransport | null {
  if (!input.requested || input.profile !== 'aead-v1') return null;
  if (input.chunkRoutes) return 'chunks';
  return input.progress ? 'snapshots' : null;
}

export interface AnswerStreamDeps {
  transport: StreamTransport;
  session: AeadV1Session;
  /** Snapshots ride on the request's progress updates. */
  progress: ProgressPublisher | null;
  api: NodeRelayApi;
  serverPublicKey: string;
  credential(): string | undefined;
  /** Outer routing values of the work item (§11.4 body). */
  outerClientKey: string;
  outerRequestId: string;
  deadlineAt: number;
  httpTimeoutMs: number;
  /** Generation's signal: when it aborts, the stream stops and a provider waiting on it is let go. */
  signal: AbortSignal;
  /** §2.3.6: the request keeps reasoning, so the think filter lets everything out. */
  keepReasoning?: boolean;
  /** A 410 on append: the request is no longer in flight here. */
  onGone(): void;
  now(): number;
}

export interface AnswerStream {
  /** The provider's onDelta. */
  onDelta(text: string): void | Promise<void>;
  /**
   * The provider answered: sends the rest with the final chunk and resolves with the content the
   * answer must carry (the streamed text), or `content` itself when nothing was streamed.
   */
  finish(content: string, finishReason: string | undefined, usage: InnerUsage | undefined): Promise<string>;
  /** The provider failed (§11.8): a final chunk `error` when the stream had begun. */
  fail(): Promise<void>;
  /** Cancel, expiry, stop: no more stream. */
  stop(): void;
  /** What the node's report says of the stream (counts only, never text). */
  report(): StreamReport;
}

export interface StreamReport {
  transport: StreamTransport;
  /** Appends made, and those refused with 429 (chunks transport; 0 for snapshots). */
  appends: number;
  busy: number;
  /** The relay holds the final chunk. */
  completed: boolean;
}

export function createAnswerStream(deps: AnswerStreamDeps): AnswerStream {
  const filter = new StreamTextFilter(deps.keepReasoning === true);
  const chunks = deps.transport === 'chunks' ? chunkPublisher(deps) : null;
  const stop = () => chunks?.stop();
  deps.signal.addEventListener('abort', stop, { once: true });
  const detach = () => deps.signal.removeEventListener('abort', stop);

  const send = (text: string): void | Promise<void> => {
    if (text.length === 0) return;
    if (chunks) return chunks.push(text);
    deps.progress?.streamed(filter.text);
  };

  return {
    onDelta: (text) => send(filter.push(text)),
    async finish(content, finishReason, usage) {
      const rest = filter.end();
      if (filter.text.length === 0) {
        detach();
        stop();
        return content; // the provider streamed nothing: the answer arrives whole
      }
      if (chunks) {
        chunks.push(rest);
        await chunks.finish({ finishReason: finishReason ?? 'stop', ...(usage ? { usage } : {}) });
      }
      detach();
      return filter.text;
    },
    async fail() {
      await chunks?.fail();
      detach();
    },
    stop() {
      detach();
      stop();
    },
    report: () => ({
      transport: deps.transport,
      appends: chunks?.appendCount ?? 0,
      busy: chunks?.busyCount ?? 0,
      completed: chunks?.finished ?? false,
    }),
  };
}

function chunkPublisher(deps: AnswerStreamDeps): ChunkPublisher {
  return new ChunkPublisher({
    seal: (sequence, final, plaintext) => {
      const env = sealAeadStreamChunk(deps.session, { sequence, final }, jsonPlaintext(plaintext));
      return { sequence, final, ciphertext: env.ciphertext, iv: env.iv };
    },
    send: async (batch, signal) => {
      const credential = deps.credential();
      if (credential === undefined) return { kind: 'refused' };
      return deps.api.appendStream(
        {
          server_public_key: deps.serverPublicKey,
          control_credential: credential,
          client_public_key: deps.outerClientKey,
          request_id: deps.outerRequestId,
          chunks: batch,
        },
        deps.httpTimeoutMs,
        signal,
      );
    },
    deadlineAt: deps.deadlineAt,
    onGone: deps.onGone,
    now: deps.now,
  });
}
