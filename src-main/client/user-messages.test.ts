import { describe, expect, it } from 'vitest';
import {
  CLIENT_SIDE_ERROR_CODES,
  NODE_ERROR_CODES,
  PICK_ANOTHER_NODE_CODES,
  RELAY_ERROR_CODES,
} from '../../src-shared/protocol/error-codes';
import { CLIENT_ERROR_CODES } from '../../src-shared/errors';
import { ChatError } from './errors';
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

  it('ChatError carries code, user message and retryable', () => {
    const e = new ChatError('no_available_capacity', { httpStatus: 503 });
    expect(e).toMatchObject({ code: 'no_available_capacity', retryable: true, httpStatus: 503, name: 'ChatError' });
    expect(e.userMessage).toMatch(/busy/);
  });
});
