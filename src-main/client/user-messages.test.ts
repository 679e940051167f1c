import { describe, expect, it } from 'vitest';
import {
  CLIENT_SIDE_ERROR_CODES,
  NODE_ERROR_CODES,
  PICK_ANOTHER_NODE_CODES,
  RELAY_ERROR_CODES,
} from '../../src-shared/protocol/error-codes';
import { CLIENT_ERROR_CODES } from '../../src-shared/errors';
import { ChatError } from './errors';
import { relayError } from './relay-client';
import { hasSpecificMessage, userMessageFor } from './user-messages';

describe('error code → user message', () => {
  it('has a specific message for every §5.4 code and every client failure kind', () => {
    const all = [...NODE_ERROR_CODES, ...CLIENT_SIDE_ERROR_CODES, ...PICK_ANOTHER_NODE_CODES, ...RELAY_ERROR_CODES, ...CLIENT_ERROR_CODES];
    const missing = all.filter((c) => !hasSpecificMessage(c));
    expect(missing).toEqual([]);
    for (const c of all) expect(userMessageFor(c).message.length, c).toBeGreaterThan(10);
  });

  it('maps numeric relay statuses and unknown codes to generic text', () => {
    expect(userMessageFor('http_401')).toMatchObject({ retryable: false });
    expect(userMessageFor('http_503')).toMatchObject({ retryable: true });
    expect(userMessageFor('http_429').message).toMatch(/rate limiting/);
    expect(userMessageFor('compute_node_new_thing').message).toMatch(/node reported an error/);
    expect(userMessageFor('zzz').message).toBe('The request failed.');
    for (const inherited of ['toString', 'constructor', '__proto__']) {
      expect(userMessageFor(inherited), inherited).toEqual({ message: 'The request failed.', retryable: false });
      expect(hasSpecificMessage(inherited), inherited).toBe(false);
    }
  });

  it('an answer that expired undelivered does not say the node never answered (§2.4.3 reason expired)', () => {
    const gone = (reason: string) =>
      relayError({ status: 410, body: { error: { message: 'x', code: 'expired', status: 'expired', reason } }, elapsedMs: 1 });
    expect(gone('expired').userMessage).toBe('The node answered, but the answer was not collected in time and the server dropped it. Send the message again.');
    expect(gone('provider_timeout').userMessage).toBe('The request expired before a node answered.');
  });

  it('no_matching_compute_node names the model asked for and the models on offer (§2.4.1)', () => {
    const refused = (extras: Record<string, unknown>) =>
      relayError({ status: 503, body: { error: { message: 'x', code: 'no_matching_compute_node', requested_context_tier: '64k-full', ...extras } }, elapsedMs: 1 });
    expect(refused({ requested_model: 'llama-70b', available_models: ['qwen3-8b-instruct', 'phi-4'] }).userMessage).toBe(
      'No connected node serves the model llama-70b. Connected nodes offer: qwen3-8b-instruct, phi-4.',
    );
    expect(refused({ requested_model: 'phi-4', available_models: ['phi-4'] }).userMessage).toBe(
      'No connected node serves phi-4 with the 64k-full context size. Connected nodes offer: phi-4.',
    );
    // A relay without the extras (the reference) gets the registry's words.
    expect(new ChatError('no_matching_compute_node').userMessage).toBe('No connected node serves this model and context size.');
  });

  it('ChatError carries code, user message and retryable', () => {
    const e = new ChatError('no_available_capacity', { httpStatus: 503 });
    expect(e).toMatchObject({ code: 'no_available_capacity', retryable: true, httpStatus: 503, name: 'ChatError' });
    expect(e.userMessage).toMatch(/busy/);
  });
});
