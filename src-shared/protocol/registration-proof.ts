// Node registration proof (docs/protocol.md §9): the relay encrypts 32 random bytes to the node
// key with RSA-OAEP-SHA256 under a label of its own; only the holder of the private key can send
// them back. Shared by the relay (issues and checks challenges) and the node (answers them).
import { z } from 'zod';

/** The one proof version (§9.1). */
export const REGISTRATION_PROOF_VERSION = 1 as const;

/**
 * OAEP label of the challenge ciphertext (§9.2), ASCII. No request wrap carries a label, so a
 * relay cannot pass a client's session-key wrap off as a challenge: a node that decrypts with
 * this label is never a decryption oracle for request keys.
 */
export const REGISTRATION_CHALLENGE_LABEL = 'tokenplace/v1/registration-challenge';

/** Size of the challenge plaintext in bytes; a node refuses any other length (§9.2). */
export const REGISTRATION_CHALLENGE_BYTES = 32;

/** How long a challenge can be answered, in seconds; it can be answered once (§9.3). */
export const REGISTRATION_CHALLENGE_TTL_SECONDS = 30;

/** Bounds of a node key the relay registers (§9.5): wire length and RSA modulus size. */
export const NODE_KEY_LIMITS = {
  maxWireChars: 2048,
  minModulusBits: 2048,
  maxModulusBits: 8192,
} as const;

const nonEmpty = z.string().min(1);

/** §9.1 `proof` of a register body that asks for a challenge. */
export const ProofRequest = z.strictObject({ version: z.literal(REGISTRATION_PROOF_VERSION) });
export type ProofRequest = z.infer<typeof ProofRequest>;

/** §9.3 `proof` of a register body that answers a challenge: `response` = base64 of the 32 bytes. */
export const ProofResponse = z.strictObject({
  version: z.literal(REGISTRATION_PROOF_VERSION),
  challenge_id: nonEmpty,
  response: nonEmpty,
});
export type ProofResponse = z.infer<typeof ProofResponse>;

export const RegistrationProof = z.union([ProofResponse, ProofRequest]);
export type RegistrationProof = z.infer<typeof RegistrationProof>;

/** §9.2 `proof_challenge` of the register answer to a ProofRequest. */
export const ProofChallenge = z.looseObject({
  id: nonEmpty,
  ciphertext: nonEmpty,
  expires_in_seconds: z.number().positive(),
});
export type ProofChallenge = z.infer<typeof ProofChallenge>;
