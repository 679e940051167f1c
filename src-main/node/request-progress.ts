// Encrypted progress for one request (§2.3.4 inner envelope, §2.4.8 body), in the request's
// profile (§10.5.3 for aead-v1). For an answer that streams by snapshots (§11.6) an aead-v1 update
// also carries the text so far: a new snapshot at most once per snapshot interval, and only while
// the whole body stays within the reference relay's 16 KiB; past that the last one that fitted
// is repeated (the rest arrives with the answer).
import { PROTOCOL_ID, PROTOCOL_VERSION } from '../../src-shared/protocol/constants';
import { buildInnerProgress, type InnerProgressBody } from '../../src-shared/protocol/inner-envelope';
import type { ProgressBody } from '../../src-shared/protocol/relay-http';
import { STREAM_LIMITS } from '../../src-shared/protocol/stream';
import { ProgressPublisher } from './progress-publisher';
import type { NodeRelayApi } from './relay-api';
import { sealInnerProgress, type ReplyProtection } from './reply-protection';

export interface RequestProgressDeps {
  api: NodeRelayApi;
  serverPublicKey: string;
  credential(): string | undefined;
  /** Outer routing values and the bound inner values. */
  outerClientKey: string;
  outerRequestId: string;
  requestId: string;
  clientKey: string;
  protection: ReplyProtection;
  startedAt: number;
  intervalMs: number;
  timeoutMs: number;
  now(): number;
  /** §11.6 (defaults: STREAM_LIMITS.snapshotIntervalMs, maxSnapshotBodyBytes). */
  snapshotIntervalMs?: number;
  maxSnapshotBodyBytes?: number;
}

export function createRequestProgress(deps: RequestProgressDeps): ProgressPublisher {
  const snapshotIntervalMs = deps.snapshotIntervalMs ?? STREAM_LIMITS.snapshotIntervalMs;
  const maxBodyBytes = deps.maxSnapshotBodyBytes ?? STREAM_LIMITS.maxSnapshotBodyBytes;
  let snapshotText: string | null = null;
  let snapshotAt = Number.NEGATIVE_INFINITY;

  const body = (progress: Omit<InnerProgressBody, 'schema_version'>, credential: string, text: string | null): ProgressBody => {
    const inner = buildInnerProgress({
      requestId: deps.requestId,
      clientPublicKey: deps.clientKey,
      progress,
      ...(text !== null ? { snapshot: { text } } : {}),
    });
    const env = sealInnerProgress(inner, progress.sequence, deps.clientKey, deps.protection);
    return {
      server_public_key: deps.serverPublicKey,
      client_public_key: deps.outerClientKey,
      request_id: deps.outerRequestId,
      control_credential: credential,
      protocol: PROTOCOL_ID,
      version: PROTOCOL_VERSION,
      ciphertext: env.ciphertext,
      cipherkey: env.cipherkey,
      iv: env.iv,
    };
  };

  /** The newest snapshot this update may carry: fresh text once per interval, else the last one sent. */
  const snapshotCandidates = (streamText: string | undefined): (string | null)[] => {
    if (streamText === undefined || deps.protection.profile !== 'aead-v1') return [null];
    const fresh = deps.now() - snapshotAt >= snapshotIntervalMs && streamText !== snapshotText;
    return [...new Set([fresh ? streamText : snapshotText, snapshotText, null])];
  };

  return new ProgressPublisher(
    async (progress, streamText) => {
      const credential = deps.credential();
      if (credential === undefined) return 'stop';
      let chosen: ProgressBody | null = null;
      for (const text of snapshotCandidates(streamText)) {
        chosen = body(progress, credential, text);
        if (text === null || Buffer.byteLength(JSON.stringify(chosen), 'utf8') <= maxBodyBytes) {
          if (text !== null && text !== snapshotText) {
            snapshotText = text;
            snapshotAt = deps.now();
          }
          break;
        }
      }
      return deps.api.progress(chosen!, deps.timeoutMs);
    },
    deps.startedAt,
    deps.intervalMs,
    deps.now,
  );
}
