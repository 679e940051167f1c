// The timeout a provider SDK call gets: the node's per-call limit or the time the request has
// left, whichever is shorter (§2.5.2 step 3), in whole milliseconds. The time left is
// performance.now() arithmetic and so fractional, and the SDKs refuse a non-integer timeout
// before they send anything; never below 1 ms (0 would mean "no timeout" to some clients).
export function callTimeoutMs(configuredMs: number, requestedMs?: number): number {
  const ms = Math.min(configuredMs, requestedMs ?? configuredMs);
  return Number.isFinite(ms) ? Math.max(1, Math.floor(ms)) : Math.max(1, Math.floor(configuredMs));
}
