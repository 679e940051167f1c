// A compute node that proves it holds its key when it registers (docs/protocol.md §9), written
// from the spec for the relay's tests: it asks for a challenge, decrypts it with the registration
// label, answers, and from then on sends its control_credential on every node route. Against a
// relay that ignores `proof` (the reference, or ours before §9) it stays registered unverified.
import { constants, privateDecrypt } from 'node:crypto';
import { generateRsaKeyPair, type RsaKeyPair } from '../../src-main/crypto';
import type { RegisterResponse, WorkItem } from '../../src-shared/protocol/relay-http';
import { REGISTRATION_CHALLENGE_BYTES, REGISTRATION_CHALLENGE_LABEL, type ProofChallenge } from '../../src-shared/protocol/registration-proof';
import { CAPABILITIES, TestNode } from './actors';
import { call, type JsonReply } from './http';

const REGISTER = '/api/v1/relay/servers/register';

/** Decrypts a §9.2 challenge with `privateKeyPem`: the 32 bytes, base64. */
export function answerChallenge(challenge: ProofChallenge, privateKeyPem: string): string {
  const secret = privateDecrypt(
    { key: privateKeyPem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: Buffer.from(REGISTRATION_CHALLENGE_LABEL, 'ascii') },
    Buffer.from(challenge.ciphertext, 'base64'),
  );
  if (secret.length !== REGISTRATION_CHALLENGE_BYTES) throw new Error(`challenge plaintext has ${secret.length} bytes`);
  return secret.toString('base64');
}

export class ProvingTestNode extends TestNode {
  /** The relay confirmed the proof (`verified: true` in its register answer). */
  verified = false;
  /** The last challenge the relay issued to this node. */
  lastChallenge: ProofChallenge | undefined;

  static override async create(relayUrl: string, opts: { token?: string; keys?: RsaKeyPair } = {}): Promise<ProvingTestNode> {
    return new ProvingTestNode(relayUrl, opts.keys ?? (await generateRsaKeyPair()), opts.token ? { 'x-relay-server-token': opts.token } : {});
  }

  /** Challenge, answer, register (§9.1–§9.3); a heartbeat of a verified key carries the credential. */
  override async register(capabilities: object = CAPABILITIES): Promise<JsonReply<RegisterResponse>> {
    const base = { server_public_key: this.publicKey, capabilities, ...(this.credential && { control_credential: this.credential }) };
    const asked = await call<RegisterResponse>(this.relayUrl, 'POST', REGISTER, { ...base, proof: { version: 1 } }, this.headers);
    const challenge = asked.body?.proof_challenge;
    if (asked.status !== 200 || !challenge) return this.took(asked);
    this.lastChallenge = challenge;
    const proof = { version: 1, challenge_id: challenge.id, response: answerChallenge(challenge, this.keys.privateKeyPem) };
    return this.took(await call<RegisterResponse>(this.relayUrl, 'POST', REGISTER, { ...base, proof }, this.headers));
  }

  private took(reply: JsonReply<RegisterResponse>): JsonReply<RegisterResponse> {
    if (reply.status === 200) {
      if (reply.body.control_credential) this.credential = reply.body.control_credential;
      this.verified = reply.body.verified === true;
    }
    return reply;
  }

  override poll(url = this.relayUrl): Promise<JsonReply<WorkItem & { message?: string }>> {
    return call(url, 'POST', '/api/v1/relay/servers/poll', { server_public_key: this.publicKey, control_credential: this.credential }, this.headers);
  }

  /** Answers with the ownership proof of §2.4.7 (node key and credential), as our nodes do. */
  override answer(work: WorkItem, content: string, extra: Record<string, unknown> = {}, url = this.relayUrl): Promise<JsonReply> {
    return super.answer(work, content, { server_public_key: this.publicKey, control_credential: this.credential, ...extra }, url);
  }
}
