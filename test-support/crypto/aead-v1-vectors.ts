// TEST ONLY: builds fixtures/vectors/aead-v1.json (docs/protocol.md §10.8) with our own code and
// fixed keys, request keys, nonces and OAEP seeds. The vector test rebuilds it and requires every
// byte to match; after a deliberate change of §10, rewrite the file with
//   npx tsx test-support/crypto/aead-v1-vectors.ts --write
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildAssociatedData, deriveSubkey, sealAeadProgress, sealAeadStreamChunk, type AeadV1Envelope, type AeadV1Purpose, type AeadV1Session } from '../../src-main/crypto/aead-v1';
import { sealAeadReplyWithFixedNonceForTestsOnly } from '../../src-main/crypto/aead-v1/seal-reply';
import { sealAeadRequestWithFixedMaterialForTestsOnly } from '../../src-main/crypto/aead-v1/seal-request';
import { REQUEST_KEY_OAEP_LABEL } from '../../src-main/crypto/aead-v1/constants';
import { keyFingerprint } from '../../src-main/crypto/fingerprint';
import { oaepSha256EncryptWithSeed } from './oaep-fixed-seed';
// (Not through ./vectors: that loader imports vitest, and this file also runs as a script.)
const VECTORS_DIR = resolve(__dirname, '../../fixtures/vectors');
export const AEAD_V1_VECTORS_FILE = resolve(VECTORS_DIR, 'aead-v1.json');

type ReferenceKey = Omit<AeadV1VectorKey, 'public_key_spki_der_sha256_hex'>;
function referenceKeys(): { client: ReferenceKey; server: ReferenceKey } {
  const file = JSON.parse(readFileSync(resolve(VECTORS_DIR, 'token-place-v1-vectors.json'), 'utf8')) as {
    keys: { client: ReferenceKey; server: ReferenceKey };
  };
  return file.keys;
}

export interface AeadV1VectorKey {
  private_key_pem_pkcs8: string;
  public_key_pem_spki: string;
  public_key_wire_b64: string;
  public_key_spki_der_sha256_hex: string;
}

export interface AeadV1Vector {
  id: string;
  purpose: AeadV1Purpose;
  request_id: string;
  sequence?: number;
  final?: boolean;
  plaintext_utf8: string;
  test_only: { request_key_hex: string; nonce_hex: string; oaep_seed_hex?: string };
  subkey_hex: string;
  associated_data_hex: string;
  envelope: AeadV1Envelope;
}

export interface AeadV1Vectors {
  format: string;
  specification: string;
  generated_by: string;
  conventions: Record<string, string>;
  keys: { client: AeadV1VectorKey; node: AeadV1VectorKey };
  vectors: AeadV1Vector[];
}

/** Fixed, documented "random" bytes: SHA-256 of a name, cut to length. */
const fixed = (name: string, length: number) => createHash('sha256').update(`tokenplace aead-v1 vectors: ${name}`).digest().subarray(0, length);

const CLIENT_WIRE_PLACEHOLDER = '<keys.client.public_key_wire_b64>';

interface RequestCase {
  id: string;
  requestId: string;
  keyName: string;
  plaintext: string;
}

const REQUESTS: RequestCase[] = [
  {
    id: 'request/chat',
    requestId: '5f0c8a3e9b1d4c7e8a2b6d0f1e3c5a79',
    keyName: 'K1',
    plaintext: `{"protocol":"tokenplace_api_v1_relay_e2ee","version":1,"request_id":"5f0c8a3e9b1d4c7e8a2b6d0f1e3c5a79","client_public_key":"${CLIENT_WIRE_PLACEHOLDER}","api_v1_request":{"model":"qwen3-8b-instruct","messages":[{"role":"user","content":"What is the capital of France?"}],"routing":{"context_tier":"8k-fast"}}}`,
  },
  { id: 'request/utf8-request-id', requestId: 'api-v1-ünïcode-🔑', keyName: 'K2', plaintext: 'Grüße, 世界 🌍' },
  { id: 'request/empty', requestId: 'crypto-client-00000000000000000000000000000000', keyName: 'K3', plaintext: '' },
];

const R1 = REQUESTS[0]!;

type NodeCase =
  | { id: string; purpose: 'reply'; plaintext: string }
  | { id: string; purpose: 'progress'; sequence: number; plaintext: string }
  | { id: string; purpose: 'stream'; sequence: number; final: boolean; plaintext: string };

const NODE_MESSAGES: NodeCase[] = [
  {
    id: 'reply/success',
    purpose: 'reply',
    plaintext: `{"protocol":"tokenplace_api_v1_relay_e2ee","version":1,"request_id":"5f0c8a3e9b1d4c7e8a2b6d0f1e3c5a79","client_public_key":"${CLIENT_WIRE_PLACEHOLDER}","api_v1_response":{"chat_history":[{"role":"assistant","content":"Paris."}],"finish_reason":"stop"}}`,
  },
  { id: 'reply/empty', purpose: 'reply', plaintext: '' },
  { id: 'progress/1', purpose: 'progress', sequence: 1, plaintext: '{"phase":"preparing"}' },
  { id: 'progress/2', purpose: 'progress', sequence: 2, plaintext: '{"phase":"generating","generated_tokens":7}' },
  { id: 'stream/0', purpose: 'stream', sequence: 0, final: false, plaintext: '{"delta":"Par"}' },
  { id: 'stream/1', purpose: 'stream', sequence: 1, final: false, plaintext: '{"delta":"is"}' },
  { id: 'stream/2-final', purpose: 'stream', sequence: 2, final: true, plaintext: '{"delta":".","finish_reason":"stop","usage":{"prompt_tokens":12,"completion_tokens":3}}' },
];

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

export function buildAeadV1Vectors(): AeadV1Vectors {
  const ref = referenceKeys();
  const key = (k: ReferenceKey): AeadV1VectorKey => ({
    private_key_pem_pkcs8: k.private_key_pem_pkcs8,
    public_key_pem_spki: k.public_key_pem_spki,
    public_key_wire_b64: k.public_key_wire_b64,
    public_key_spki_der_sha256_hex: keyFingerprint(k.public_key_pem_spki),
  });
  const keys = { client: key(ref.client), node: key(ref.server) };
  const parties = (requestId: string) => ({
    requestId,
    clientPublicKey: keys.client.public_key_wire_b64,
    nodePublicKey: keys.node.public_key_wire_b64,
  });
  const text = (t: string) => t.replace(CLIENT_WIRE_PLACEHOLDER, keys.client.public_key_wire_b64);

  const vectors: AeadV1Vector[] = [];
  let session1: AeadV1Session | undefined;
  for (const c of REQUESTS) {
    const requestKey = fixed(`request key ${c.keyName}`, 32);
    const nonce = fixed(`${c.id} nonce`, 12);
    const seed = fixed(`${c.id} oaep seed`, 32);
    const { envelope, session } = sealAeadRequestWithFixedMaterialForTestsOnly(text(c.plaintext), parties(c.requestId), {
      requestKey,
      nonce,
      wrap: (nodeKey, k) => oaepSha256EncryptWithSeed(nodeKey, k, REQUEST_KEY_OAEP_LABEL, seed),
    });
    if (c === R1) session1 = session;
    vectors.push({
      id: c.id,
      purpose: 'request',
      request_id: c.requestId,
      plaintext_utf8: text(c.plaintext),
      test_only: { request_key_hex: hex(requestKey), nonce_hex: hex(nonce), oaep_seed_hex: hex(seed) },
      subkey_hex: hex(deriveSubkey(requestKey, c.requestId, 'request')),
      associated_data_hex: hex(buildAssociatedData('request', session)),
      envelope,
    });
  }

  const session = session1!;
  for (const c of NODE_MESSAGES) {
    const plaintext = text(c.plaintext);
    let envelope: AeadV1Envelope;
    let position: { sequence: number; final?: boolean } | undefined;
    if (c.purpose === 'reply') envelope = sealAeadReplyWithFixedNonceForTestsOnly(session, fixed(`${c.id} nonce`, 12), plaintext);
    else if (c.purpose === 'progress') {
      position = { sequence: c.sequence };
      envelope = sealAeadProgress(session, c.sequence, plaintext);
    } else {
      position = { sequence: c.sequence, final: c.final };
      envelope = sealAeadStreamChunk(session, { sequence: c.sequence, final: c.final }, plaintext);
    }
    vectors.push({
      id: c.id,
      purpose: c.purpose,
      request_id: R1.requestId,
      ...(position ? { sequence: position.sequence } : {}),
      ...(position?.final !== undefined ? { final: position.final } : {}),
      plaintext_utf8: plaintext,
      test_only: { request_key_hex: hex(session.requestKey), nonce_hex: hex(Buffer.from(envelope.iv, 'base64')) },
      subkey_hex: hex(deriveSubkey(session.requestKey, R1.requestId, c.purpose)),
      associated_data_hex: hex(buildAssociatedData(c.purpose, session, position)),
      envelope,
    });
  }

  return {
    format: 'token.place aead-v1 test vectors v1',
    specification: 'docs/protocol.md §10',
    generated_by: 'test-support/crypto/aead-v1-vectors.ts (our own code, fixed inputs); checked by src-main/crypto/aead-v1/vectors.test.ts',
    conventions: {
      keys: 'keys.node is the node (server) key and keys.client the client key of token-place-v1-vectors.json; fingerprints are SHA-256 of the SPKI DER',
      request_key: 'test_only.request_key_hex is K, the 32-byte request key; the node vectors all belong to request/chat (same K and request id)',
      nonce: 'test_only.nonce_hex is the 12-byte nonce (the base64 iv); request and reply nonces are fixed here, random in use; progress and stream nonces are u32 BE 0 || u64 BE sequence',
      oaep_seed: 'test_only.oaep_seed_hex is the 32-byte OAEP seed of the request-key wrap (RFC 8017 §7.1.1), random in use',
      subkey: 'subkey_hex = HKDF-SHA256(ikm = K, salt = utf8(request_id), info = ascii("tokenplace aead-v1 " + purpose), 32 bytes)',
      associated_data: 'associated_data_hex: each field as u16 BE length || bytes (§10.3)',
      envelope: 'ciphertext = base64(GCM ciphertext || 16-byte tag); cipherkey = the RSA wrap (request) or base64("aead-v1") (node messages)',
      plaintext: 'plaintext_utf8 is the exact UTF-8 plaintext',
    },
    keys,
    vectors,
  };
}

if (process.argv.includes('--write')) {
  writeFileSync(AEAD_V1_VECTORS_FILE, `${JSON.stringify(buildAeadV1Vectors(), null, 2)}\n`);
  console.log(`wrote ${AEAD_V1_VECTORS_FILE}`);
}
