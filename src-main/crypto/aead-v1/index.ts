// The aead-v1 profile between our peers (docs/protocol.md §10), one operation per file.
//
//   client:  const { envelope, session } = sealAeadRequest(json, { requestId, clientPublicKey, nodePublicKey });
//   node:    const { plaintext, session } = openAeadRequest(envelope, { requestId, clientPublicKey, nodeKeys });
//            sealAeadReply(session, answer) · sealAeadProgress(session, seq, update) · sealAeadStreamChunk(session, { sequence, final }, delta)
//   client:  openAeadReply(session, env) · openAeadProgress(session, env) · openAeadStreamChunk(session, { sequence, final }, env)
//
// Every open failure is the one DecryptionError (§1.9). The fixed-material sealers used by the
// vector test are deliberately not exported here.
export {
  AEAD_V1_PROFILE,
  AEAD_V1_PURPOSES,
  NODE_ENVELOPE_CIPHERKEY as AEAD_V1_NODE_CIPHERKEY,
  REQUEST_KEY_OAEP_LABEL as AEAD_V1_REQUEST_KEY_LABEL,
  type AeadV1Purpose,
} from './constants';
export type { AeadV1Binding, AeadV1Parties } from './binding';
export { isBindableRequestId } from './binding';
export type { AeadV1Envelope, AeadV1Session } from './session';
export type { AeadV1Position } from './associated-data';
export type { AeadV1ChunkPosition } from './seal-stream-chunk';
export { deriveSubkey } from './derive-subkey';
export { buildAssociatedData } from './associated-data';
export { envelopeProfile } from './envelope-profile';
export { sealAeadRequest, type SealedAeadV1Request } from './seal-request';
export { openAeadRequest, type AeadV1Receiver, type OpenedAeadV1Request } from './open-request';
export { sealAeadReply } from './seal-reply';
export { openAeadReply } from './open-reply';
export { sealAeadProgress } from './seal-progress';
export { openAeadProgress, type OpenedAeadV1Progress } from './open-progress';
export { sealAeadStreamChunk } from './seal-stream-chunk';
export { openAeadStreamChunk } from './open-stream-chunk';
