// §9.2–§9.3 registration challenges: 32 random bytes encrypted to the node key with
// RSA-OAEP-SHA256 and the registration label; the relay keeps only their SHA-256, for one answer
// within 30 s. Consuming a challenge is part of the registration commit (nodes.ts).
import { constants, createHash, publicEncrypt, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import {
  REGISTRATION_CHALLENGE_BYTES,
  REGISTRATION_CHALLENGE_LABEL,
  REGISTRATION_CHALLENGE_TTL_SECONDS,
  type ProofChallenge,
  type ProofResponse,
} from '../../../src-shared/protocol/registration-proof';
import { RegistrationProofFailedError } from '../errors';
import { StoreUnavailableError, type Versioned } from '../store/state-store';
import type { RelayContext } from './context';
import { challengeIdHash, keys, type ChallengeRecord } from './model';

const LABEL = Buffer.from(REGISTRATION_CHALLENGE_LABEL, 'ascii');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest();

/** Issues a challenge for `nodeId` (one commit); nothing is registered. */
export async function issueChallenge(ctx: RelayContext, nodeId: string, key: KeyObject): Promise<ProofChallenge> {
  const secret = randomBytes(REGISTRATION_CHALLENGE_BYTES);
  const id = randomBytes(16).toString('base64url');
  const ciphertext = publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: LABEL }, secret);
  const ttlMs = REGISTRATION_CHALLENGE_TTL_SECONDS * 1000;
  const record: ChallengeRecord = { nodeId, answerDigest: sha256(secret).toString('hex'), expiresAt: ctx.now() + ttlMs };
  // A fresh random id cannot collide: a refusal is a store fault.
  const outcome = await ctx.store.commit(keys.challenge(challengeIdHash(id)), null, record, { ttlMs });
  if (outcome !== 'written') throw new StoreUnavailableError(new Error(`challenge commit ${outcome}`));
  return { id, ciphertext: ciphertext.toString('base64'), expires_in_seconds: REGISTRATION_CHALLENGE_TTL_SECONDS };
}

/** An open challenge that `proof` answers correctly for `nodeId`, to be consumed by the registration. */
export interface AnsweredChallenge {
  key: string;
  held: Versioned<ChallengeRecord>;
}

/**
 * Checks `proof` against its challenge. A wrong answer uses the challenge up (one try per
 * challenge) and throws RegistrationProofFailedError, as does an unknown, expired or foreign one.
 */
export async function checkChallenge(ctx: RelayContext, nodeId: string, proof: ProofResponse): Promise<AnsweredChallenge> {
  const key = keys.challenge(challengeIdHash(proof.challenge_id));
  const held = await ctx.store.get<ChallengeRecord>(key);
  if (!held) throw new RegistrationProofFailedError();
  const answer = Buffer.from(proof.response, 'base64');
  const canonical = answer.length === REGISTRATION_CHALLENGE_BYTES && answer.toString('base64') === proof.response;
  const matches = timingSafeEqual(sha256(answer), Buffer.from(held.value.answerDigest, 'hex'));
  if (!canonical || !matches || held.value.nodeId !== nodeId || held.value.expiresAt <= ctx.now()) {
    await discardChallenge(ctx, { key, held });
    throw new RegistrationProofFailedError();
  }
  return { key, held };
}

/** Uses a challenge up without registering anything (a losing racer finds it gone: fine). */
export async function discardChallenge(ctx: RelayContext, challenge: AnsweredChallenge): Promise<void> {
  await ctx.store.commit(challenge.key, challenge.held.version, null);
}
