// A relay's HTTP error answer as a typed client error (§2.4, §5.4).
import { RelayErrorBody } from '../../../src-shared/protocol/relay-http';
import { RelayError, type ChatError } from '../errors';
import type { JsonResult } from '../http';

/** Relay HTTP error → typed error with the §5.4 code when the body names one. */
export function relayError(res: JsonResult): ChatError {
  const parsed = RelayErrorBody.safeParse(res.body);
  const e = parsed.success ? parsed.data.error : undefined;
  const stringCode = typeof e?.code === 'string' ? e.code : undefined;
  const code = stringCode ?? `http_${res.status}`;
  const details: Record<string, unknown> = {};
  if (e?.reason) details.reason = e.reason;
  if (e?.status) details.status = e.status;
  // §2.4.1 selection extras the user's words name: the model and size asked for, what is offered.
  for (const key of ['requested_model', 'requested_context_tier', 'available_models'] as const) if (e?.[key] !== undefined) details[key] = e[key];
  if (res.retryAfterMs !== undefined) details.retry_after_seconds = res.retryAfterMs / 1000;
  return new RelayError(code, { httpStatus: res.status, detail: e?.message ?? `HTTP ${res.status}`, ...(Object.keys(details).length ? { details } : {}) });
}
