// The relay client: RelayClient and what its callers name. The steps of a chat live in this folder,
// one job per file: choose-node, submit, wait (with long-poll and deadline), open-answer /
// open-progress, attempt (one node) and fail-over (the loop over nodes and tiers).
export { RelayClient } from './relay-client';
export { relayError } from './relay-error';
export type { RelayClientConfig } from './settings';
