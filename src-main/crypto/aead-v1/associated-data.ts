// Associated data of every aead-v1 seal (docs/protocol.md §10.3): each field is a u16 big-endian
// length followed by its bytes —
//   "tokenplace_api_v1_relay_e2ee/aead-v1", purpose, utf8(request_id),
//   client key fingerprint (32 bytes), node key fingerprint (32 bytes),
//   progress and stream: u64 BE sequence (8 bytes); stream: final flag (1 byte, 0x00 | 0x01).
import { AAD_PROTOCOL, type AeadV1Purpose } from './constants';
import type { AeadV1Binding } from './binding';

/** Where a progress update or stream chunk sits (§10.3): progress has no final flag. */
export interface AeadV1Position {
  sequence: number;
  final?: boolean;
}

function field(bytes: Uint8Array): Buffer {
  if (bytes.length > 0xffff) throw new RangeError('AAD field longer than 65535 bytes');
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

export function u64(value: number): Buffer {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError('sequence must be a non-negative safe integer');
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(value));
  return bytes;
}

export function buildAssociatedData(purpose: AeadV1Purpose, binding: AeadV1Binding, position?: AeadV1Position): Buffer {
  const fields = [
    AAD_PROTOCOL,
    Buffer.from(purpose, 'ascii'),
    Buffer.from(binding.requestId, 'utf8'),
    binding.clientKeyFingerprint,
    binding.nodeKeyFingerprint,
  ];
  if (purpose === 'progress' || purpose === 'stream') {
    if (!position) throw new RangeError(`${purpose} associated data needs a sequence number`);
    fields.push(u64(position.sequence));
    if (purpose === 'stream') fields.push(Buffer.from([position.final ? 1 : 0]));
  }
  return Buffer.concat(fields.map(field));
}
