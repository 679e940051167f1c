// Encrypted progress for one request (§2.3.4 inner envelope, §2.4.8 body), in the request's
// profile (§10.5.3 for aead-v1).
import { PROTOCOL_ID, PROTOCOL_VERSION } from '../../src-shared/protocol/constants';
import { buildInnerProgress } from '../../src-shared/protocol/inner-envelope';
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
}

export function createRequestProgress(deps: RequestProgressDeps): ProgressPublisher {
  return new ProgressPublisher(
    async (progress) => {
      const credential = deps.credential();
      if (credential === undefined) return 'stop';
      const inner = buildInnerProgress({ requestId: deps.requestId, clientPublicKey: deps.clientKey, progress });
      const env = sealInnerProgress(inner, progress.sequence, deps.clientKey, deps.protection);
      return deps.api.progress(
        {
          server_public_key: deps.serverPublicKey,
          client_public_key: deps.outerClientKey,
          request_id: deps.outerRequestId,
          control_credential: credential,
          protocol: PROTOCOL_ID,
          version: PROTOCOL_VERSION,
          ciphertext: env.ciphertext,
          cipherkey: env.cipherkey,
          iv: env.iv,
        },
        deps.timeoutMs,
      );
    },
    deps.startedAt,
    deps.intervalMs,
    deps.now,
  );
}
