// §2.4.4 cancel a submitted request at the relay: best effort, so a failure to cancel never
// hides the outcome the caller is told about.
import type { CancelBody } from '../../../src-shared/protocol/relay-http';
import type { RelayCalls } from './relay-calls';
import type { SealedRequest } from './submit';

const CANCEL_TIMEOUT_MS = 3_000;
const CANCEL_MAX_RESPONSE_BYTES = 64 * 1024;

export async function cancelAtRelay(calls: RelayCalls, sealed: SealedRequest, reason: 'client_timeout' | 'requester_cancelled' | 'requester_gave_up'): Promise<void> {
  const body: CancelBody = {
    client_public_key: sealed.body.client_public_key,
    request_id: sealed.requestId,
    cancel_token: sealed.cancelToken,
    status: reason === 'client_timeout' ? 'expired' : 'cancelled',
    reason,
  };
  try {
    await calls.call({ method: 'POST', path: '/api/v1/relay/requests/cancel', body, timeoutMs: CANCEL_TIMEOUT_MS, maxBytes: CANCEL_MAX_RESPONSE_BYTES });
  } catch {
    // unreachable relay: the request expires there on its own deadline
  }
}
