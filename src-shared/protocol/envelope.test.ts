import { describe, expect, it } from 'vitest';
import {
  CryptoManagerEnvelopeSchema,
  GenericEnvelopeSchema,
  ProgressEnvelopeSchema,
  RelayMessageEnvelopeSchema,
  toCryptoManagerEnvelope,
  toGenericEnvelope,
  toProgressEnvelope,
  toRelayMessageEnvelope,
} from './envelope';

const cbc = { ciphertext: 'Y3Q=', cipherkey: 'a2V5', iv: 'aXY=' };
const gcm = { ...cbc, tag: 'dGFn', mode: 'GCM' as const };

describe('envelope schemas (§1.5)', () => {
  it('generic: CBC and GCM shapes; mode only "GCM"', () => {
    expect(GenericEnvelopeSchema.parse(cbc)).toEqual(cbc);
    expect(GenericEnvelopeSchema.parse(gcm)).toEqual(gcm);
    expect(GenericEnvelopeSchema.safeParse({ ...cbc, mode: 'CBC' }).success).toBe(false);
    expect(GenericEnvelopeSchema.safeParse({ ciphertext: 'x', iv: 'y' }).success).toBe(false);
  });

  it('CryptoManager shape uses chat_history', () => {
    expect(CryptoManagerEnvelopeSchema.parse({ chat_history: 'Y3Q=', cipherkey: 'a2V5', iv: 'aXY=' }).chat_history).toBe('Y3Q=');
    expect(CryptoManagerEnvelopeSchema.safeParse(cbc).success).toBe(false);
  });

  it('relay message needs ciphertext or chat_history; ciphertext wins', () => {
    expect(RelayMessageEnvelopeSchema.safeParse({ cipherkey: 'a', iv: 'b' }).success).toBe(false);
    const both = RelayMessageEnvelopeSchema.parse({ ...cbc, chat_history: 'b3RoZXI=' });
    expect(toGenericEnvelope(both)).toEqual(cbc);
    expect(toGenericEnvelope({ chat_history: 'Y3Q=', cipherkey: 'a2V5', iv: 'aXY=' })).toEqual(cbc);
  });

  it('progress shape is exactly {ciphertext, cipherkey, iv}', () => {
    expect(ProgressEnvelopeSchema.parse(cbc)).toEqual(cbc);
    expect(ProgressEnvelopeSchema.safeParse({ ...cbc, chat_history: 'x' }).success).toBe(false);
    expect(ProgressEnvelopeSchema.safeParse(gcm).success).toBe(false);
  });

  it('converters keep values and refuse GCM where the wire is CBC-only', () => {
    expect(toCryptoManagerEnvelope(cbc)).toEqual({ chat_history: 'Y3Q=', cipherkey: 'a2V5', iv: 'aXY=' });
    expect(toProgressEnvelope(cbc)).toEqual(cbc);
    expect(toRelayMessageEnvelope(cbc)).toEqual({ ...cbc, chat_history: 'Y3Q=' });
    expect(() => toCryptoManagerEnvelope(gcm)).toThrow(TypeError);
    expect(() => toProgressEnvelope(gcm)).toThrow(TypeError);
    expect(() => toRelayMessageEnvelope(gcm)).toThrow(TypeError);
  });
});
