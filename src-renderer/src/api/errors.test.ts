import { describe, expect, it } from 'vitest';
import { describeError, errorCode, type ErrorCode } from './errors';

describe('api errors', () => {
  it('gives the registry code of an IpcError, typed for a switch', () => {
    const words = (code: ErrorCode | undefined): string => {
      switch (code) {
        case 'locked':
          return 'unlock';
        case 'pinned_node_changed':
          return 'open servers';
        default:
          return 'show the message';
      }
    };
    expect(words(errorCode({ code: 'locked', message: 'Enter your passphrase to unlock the app.' }))).toBe('unlock');
    expect(words(errorCode({ code: 'pinned_node_changed', message: 'x' }))).toBe('open servers');
    expect(errorCode({ code: 'http_503', message: 'x' })).toBe('http_503');
  });

  it('gives no code for anything that is not an IpcError of the registry', () => {
    for (const thrown of [new Error('boom'), 'text', undefined, null, { code: 42 }, { code: 'toString' }, { code: 'made_up' }]) {
      expect(errorCode(thrown), JSON.stringify(thrown)).toBeUndefined();
    }
  });

  it('falls back to the registry\'s words for an unexpected failure', () => {
    expect(describeError({})).toBe('Something went wrong inside the app. Please try again.');
  });
});
