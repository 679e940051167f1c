// §2.4.4 cancel by the requester (cancel_token proof). Queued: removed from the queue. In flight:
// cancelled + owner tombstone so the node aborts (§2.4.6). Anything else: 403 like the reference.
import { CancelProofError } from '../errors';
import type { RelayContext } from './context';
import { clientHashOf, requestKeyOf } from './model';
import { digestMatches } from './nodes';
import { endRequest, type EndStatus } from './terminate';

export interface CancelResult {
  status: EndStatus;
  removedFromQueue: number;
}

export async function cancelRequest(
  ctx: RelayContext,
  clientPublicKey: string,
  requestId: string,
  cancelToken: string,
  status: EndStatus,
  reason: string,
): Promise<CancelResult> {
  const reqKey = requestKeyOf(clientHashOf(clientPublicKey), requestId);
  const previous = await endRequest(ctx, reqKey, status, reason, (r) => r.cancelDigest !== null && digestMatches(cancelToken, r.cancelDigest));
  if (!previous) throw new CancelProofError();
  return { status, removedFromQueue: previous.state === 'queued' ? 1 : 0 };
}

