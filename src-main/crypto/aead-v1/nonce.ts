// Nonces (docs/protocol.md §10.4): random 12 bytes for request and reply; for progress and
// stream chunks u32 BE 0 || u64 BE sequence (their subkeys are unique per request and purpose,
// so a counter never repeats under one key).
import { NONCE_BYTES } from './constants';
import { u64 } from './associated-data';

export function sequenceNonce(sequence: number): Buffer {
  return Buffer.concat([Buffer.alloc(4), u64(sequence)]);
}

/** The sequence a counter nonce carries, or null when the bytes are not one. */
export function sequenceFromNonce(nonce: Uint8Array): number | null {
  if (nonce.length !== NONCE_BYTES) return null;
  const bytes = Buffer.from(nonce.buffer, nonce.byteOffset, nonce.byteLength);
  if (bytes.readUInt32BE(0) !== 0) return null;
  const sequence = bytes.readBigUInt64BE(4);
  return sequence <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(sequence) : null;
}
