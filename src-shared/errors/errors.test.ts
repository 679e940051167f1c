import { describe, expect, it } from 'vitest';
import { ChatErrorInfoSchema, ErrorCodeSchema, IpcErrorSchema } from '../ipc/contract';
import { CLIENT_SIDE_ERROR_CODES, NODE_ERROR_CODES, PICK_ANOTHER_NODE_CODES, RELAY_ERROR_CODES } from '../protocol/error-codes';
import { LOCAL_ENGINE_ERROR_CODES, MODEL_LIBRARY_ERROR_CODES } from '../vocabulary';
import {
  AppError,
  ERROR_GROUPS,
  ERROR_REGISTRY,
  errorCodeOf,
  errorInfoOf,
  isErrorCode,
  isRegisteredErrorCode,
  REGISTERED_ERROR_CODES,
} from '.';

describe('error registry', () => {
  it('names every code once, with words and retryable', () => {
    const all = Object.values(ERROR_GROUPS).flatMap((group) => Object.keys(group));
    expect(new Set(all).size).toBe(all.length);
    expect([...REGISTERED_ERROR_CODES].sort()).toEqual([...all].sort());
    for (const code of REGISTERED_ERROR_CODES) {
      const entry = ERROR_REGISTRY[code];
      expect(entry.message.length, code).toBeGreaterThan(10);
      expect(entry.message, code).toMatch(/[.!?]$/);
      expect(typeof entry.retryable, code).toBe('boolean');
    }
  });

  it('holds every §5.4 wire code under its own name', () => {
    for (const code of [...NODE_ERROR_CODES, ...CLIENT_SIDE_ERROR_CODES, ...PICK_ANOTHER_NODE_CODES, ...RELAY_ERROR_CODES]) {
      expect(isRegisteredErrorCode(code), code).toBe(true);
      expect(errorCodeOf(code), code).toBe(code);
    }
  });

  it('has words for every code of the built-in engine and the model library', () => {
    for (const code of [...LOCAL_ENGINE_ERROR_CODES, ...MODEL_LIBRARY_ERROR_CODES]) {
      expect(isRegisteredErrorCode(code), code).toBe(true);
      expect(errorInfoOf(code), code).toMatchObject({ code, pickAnotherNode: false });
    }
    expect(errorInfoOf('local_engine_context_window_exceeded').message).toContain('context window');
  });

  it('says "pick another node" for exactly the §5.4 pick-another-node codes', () => {
    const picking = REGISTERED_ERROR_CODES.filter((code) => errorInfoOf(code).pickAnotherNode);
    expect(picking.sort()).toEqual([...PICK_ANOTHER_NODE_CODES].sort());
  });

  it('shows HTTP statuses as http_<status> and unknown codes under a generic code', () => {
    expect(errorInfoOf('http_503')).toMatchObject({ code: 'http_503', retryable: true, message: expect.stringContaining('HTTP 503') });
    expect(errorInfoOf('http_429')).toMatchObject({ code: 'http_429', message: ERROR_REGISTRY.rate_limit_exceeded.message });
    expect(errorInfoOf('compute_node_new_thing')).toMatchObject({ code: 'unknown_node_error', retryable: true });
    expect(errorInfoOf('zzz')).toMatchObject({ code: 'request_failed', message: 'The request failed.', retryable: false });
    for (const inherited of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      expect(isErrorCode(inherited), inherited).toBe(false);
      expect(errorCodeOf(inherited), inherited).toBe('request_failed');
    }
    for (const notHttp of ['http_', 'http_99', 'http_1000', 'http_abc', 'http_600']) expect(isErrorCode(notHttp), notHttp).toBe(false);
  });

  it('AppError carries its code, the registry words unless told more precisely, and retryable', () => {
    const plain = new AppError('busy');
    expect(plain).toMatchObject({ code: 'busy', userMessage: ERROR_REGISTRY.busy.message, message: ERROR_REGISTRY.busy.message, retryable: true, name: 'AppError' });
    class NamedError extends AppError {}
    const precise = new NamedError('bad_request', 'The request is not valid (id): too short');
    expect(precise).toMatchObject({ code: 'bad_request', userMessage: 'The request is not valid (id): too short', name: 'NamedError' });
    expect(precise).toBeInstanceOf(Error);
  });
});

describe('error codes in the contract', () => {
  it('IpcError accepts registry codes only', () => {
    expect(IpcErrorSchema.safeParse({ code: 'locked', message: 'x' }).success).toBe(true);
    expect(IpcErrorSchema.safeParse({ code: 'http_502', message: 'x' }).success).toBe(true);
    expect(IpcErrorSchema.safeParse({ code: 'node_unavailable', message: 'x' }).success).toBe(false);
    expect(ErrorCodeSchema.safeParse(42).success).toBe(false);
  });

  it('a stored answer error with a code from before the registry reads as the code shown for it', () => {
    const legacy = ChatErrorInfoSchema.parse({ code: 'some_foreign_code', message: 'Kept as it was.', retryable: false });
    expect(legacy).toEqual({ code: 'request_failed', message: 'Kept as it was.', retryable: false });
    expect(ChatErrorInfoSchema.parse({ code: 'node_stopped', message: 'm', retryable: true }).code).toBe('node_stopped');
  });
});
