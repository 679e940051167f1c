// Issue 11 §1 (second bullet), §2: our client accepts an answer only if it proves it came from
// whoever opened the request (aead-v1, docs/protocol.md §10). The attacks, on loopback, against our
// real node (which speaks aead-v1) or a reference-style CBC-only node:
//   - the thief: polls as the victim node (its public key is public) with 8 long polls open, takes
//     work items and posts forged answers encrypted to each client's public key. Our relay stops
//     it for a node that proved its key (§9); a reference relay does not, so these tests put our
//     relay behind a reference front (no §9, no e2ee_profiles in servers/next) to show what the
//     client itself does;
//   - downgrade: a key that spoke aead-v1 gets aead-v1 only, whatever servers/next says, and CBC
//     from it is refused;
//   - replay: a relay hands one request the (genuine) answer of another;
//   - a relay that alters aead-v1 requests to one node: that node cannot open them and sends its
//     generic CBC "could not process" answer (§10.7), which sends the chat to another node
//     instead of being shown.
// Before (reference-cbc, what a CBC-only node gets): forged text is shown. After (aead-v1): never.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KeyHolder, type RsaKeyPair } from '../crypto';
import type { RunningRelay } from '../relay';
import type { ChatError } from './errors';
import { ProfilesStore } from './profiles';
import { EMBEDDED_PROFILE_ID } from './profiles-schema';
import { RelayClient } from './relay-client';
import type { ChatAnswer, ChatStatus } from './types';
import { MemoryJsonStorage, MemorySecretStore } from '../../test-support/client/memory-storage';
import { startReferenceRelayFront } from '../../test-support/client/reference-relay-front';
import { keyPairs, startStackNode, startStackRelay, waitFor, STACK_MODEL, type StackNode } from '../../test-support/client/stack';
import { TestNode } from '../../test-support/relay/actors';
import type { WorkItem } from '../../src-shared/protocol/relay-http';

const FORGED = 'FORGED: the relay says your account is locked, send your password to unlock it';
const CHATS = 5;
const ATTACK_TIMEOUT_MS = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const genuine = (text: string) => `Test answer (1 messages) to: ${text}`;

let pairs: RsaKeyPair[];
let relay: RunningRelay;
/** Where clients and nodes talk to: our relay, or the reference front before it. */
let relayUrl: string;
const stops: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  pairs = await keyPairs(5);
});
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  await relay?.close();
});

/** Our relay; `reference`: behind a front that behaves like relay.py (no §9 proof, no e2ee_profiles). */
async function startRelay(opts: { reference?: boolean } = {}): Promise<void> {
  relay = await startStackRelay();
  relayUrl = relay.url;
  if (opts.reference) {
    const front = await startReferenceRelayFront(relay.url);
    stops.push(() => front.close());
    relayUrl = front.url;
  }
}

async function nodeCount(): Promise<number> {
  const r = await fetch(`${relay.url}/healthz`);
  return ((await r.json()) as { knownServers: number }).knownServers;
}

/** Keeps `polls` long polls open as the victim's key and answers each work item taken with FORGED (issue 11 §1). */
async function startThief(victimPublicKeyWire: string, polls = 8) {
  const thief = await TestNode.create(relay.url, { keys: { publicKeyWire: victimPublicKeyWire, publicKeyPem: '', privateKeyPem: '' } });
  let stopped = false;
  let taken = 0;
  const loops = Array.from({ length: polls }, async () => {
    while (!stopped) {
      const r = await thief.poll().catch(() => null);
      if (r?.status === 200 && typeof r.body?.request_id === 'string' && typeof r.body.ciphertext === 'string') {
        taken++;
        await thief.answer(r.body, FORGED).catch(() => undefined);
      } else if (!r || r.status !== 200) await sleep(50);
    }
  });
  const stop = async () => {
    stopped = true;
    await Promise.all(loops);
  };
  stops.push(stop);
  return { taken: () => taken, stop };
}

/** A reference-style node (CBC only, no e2ee_profiles, no §9 proof, like server.py) answering "genuine answer". */
async function startReferenceNode(keys: RsaKeyPair) {
  const node = await TestNode.create(relayUrl, { keys });
  await node.register({ api_version: 'v1', supported_model_ids: [STACK_MODEL], active_context_tier: '8k-fast', maximum_total_context_tokens: 8192, default_output_token_reservation: 1024, maximum_output_tokens: 8192, max_concurrency: 4, backend_class: 'cpu' });
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const r = await node.poll().catch(() => null);
      if (r?.status === 200 && typeof r.body?.request_id === 'string' && typeof r.body.ciphertext === 'string') await node.answer(r.body as WorkItem, 'genuine answer').catch(() => undefined);
      else if (!r || r.status !== 200) await sleep(50);
    }
  })();
  stops.push(async () => {
    stopped = true;
    await loop;
  });
}

/** Our compute node (aead-v1, §10) on the deterministic test provider. */
async function ourNode(keys: RsaKeyPair): Promise<StackNode> {
  const node = await startStackNode(relayUrl, keys);
  stops.push(() => node.node.stop());
  return node;
}

const clientFor = (pair: RsaKeyPair, fetchImpl?: typeof fetch) =>
  new RelayClient({ baseUrl: relayUrl, pollIntervalMs: 50, keys: KeyHolder.fromPair(pair), ...(fetchImpl && { fetch: fetchImpl }) });

type Outcome = { answer: ChatAnswer } | { error: ChatError };
async function chatOnce(rc: RelayClient, text: string, extra: { statuses?: ChatStatus[] } = {}): Promise<Outcome> {
  try {
    return { answer: await rc.chat({ model: STACK_MODEL, messages: [{ role: 'user', content: text }], timeoutMs: 8000, onStatus: (s) => extra.statuses?.push(s) }) };
  } catch (error) {
    return { error: error as ChatError };
  }
}
const forgedShown = (outcomes: Outcome[]) => outcomes.filter((o) => 'answer' in o && o.answer.content === FORGED).length;

describe('forged answers from a thief polling as the node (issue 11 §1)', () => {
  it(
    'before — a reference-cbc node: forged text is shown as the node’s answer, and labelled unauthenticated',
    async () => {
      await startRelay();
      await startReferenceNode(pairs[0]!);
      await waitFor(async () => (await nodeCount()) === 1, 5000, 'node registered');
      const thief = await startThief(pairs[0]!.publicKeyWire);
      const rc = clientFor(pairs[4]!);
      const outcomes: Outcome[] = [];
      for (let i = 0; i < CHATS; i++) outcomes.push(await chatOnce(rc, `question ${i}`));
      await thief.stop();
      expect(thief.taken()).toBeGreaterThan(0);
      expect(forgedShown(outcomes)).toBeGreaterThan(0);
      for (const o of outcomes) {
        if ('answer' in o) expect(o.answer.encryption).toMatchObject({ profile: 'reference-cbc', authenticated: false, symmetric: 'AES-256-CBC' });
      }
    },
    ATTACK_TIMEOUT_MS,
  );

  it(
    'after — our node, aead-v1: no forged answer is shown; each chat gets the genuine answer or one clear refusal',
    async () => {
      await startRelay({ reference: true });
      const node = await ourNode(pairs[1]!);
      await waitFor(async () => (await nodeCount()) === 1, 5000, 'node registered');
      const rc = clientFor(pairs[4]!);
      // First contact through a relay that does not pass e2ee_profiles: CBC, in which our node says it speaks aead-v1.
      const first = await chatOnce(rc, 'hello');
      expect('answer' in first && first.answer).toMatchObject({ content: genuine('hello'), encryption: { profile: 'reference-cbc', authenticated: false } });

      const thief = await startThief(node.node.publicKeyWire()!);
      const outcomes: Outcome[] = [];
      for (let i = 0; i < CHATS; i++) outcomes.push(await chatOnce(rc, `question ${i}`));
      await thief.stop();

      expect(thief.taken()).toBeGreaterThan(0);
      expect(forgedShown(outcomes)).toBe(0);
      for (const [i, o] of outcomes.entries()) {
        if ('answer' in o) {
          expect(o.answer.content).toBe(genuine(`question ${i}`));
          expect(o.answer.encryption).toMatchObject({ profile: 'aead-v1', authenticated: true, symmetric: 'AES-256-GCM' });
        } else {
          expect(o.error.code).toBe('answer_not_authentic');
          expect(o.error.userMessage).toMatch(/did not come from the node your message was encrypted to/);
        }
      }
      expect(outcomes.filter((o) => 'error' in o).length).toBe(Math.min(thief.taken(), CHATS));
    },
    ATTACK_TIMEOUT_MS,
  );
});

describe('no downgrade (issue 11 §2)', () => {
  it(
    'a key that spoke aead-v1 gets only aead-v1 requests, even when servers/next says nothing, and a CBC answer from it is refused',
    async () => {
      await startRelay({ reference: true });
      const node = await ourNode(pairs[1]!);
      await waitFor(async () => (await nodeCount()) === 1, 5000, 'node registered');
      const ivBytes: number[] = [];
      const spy: typeof fetch = async (input, init) => {
        if (String(input).endsWith('/api/v1/relay/requests') && typeof init?.body === 'string') ivBytes.push(Buffer.from((JSON.parse(init.body) as { iv: string }).iv, 'base64').length);
        return fetch(input, init);
      };
      const rc = clientFor(pairs[4]!, spy);
      await chatOnce(rc, 'hello');
      const second = await chatOnce(rc, 'again');
      expect('answer' in second && second.answer.encryption.profile).toBe('aead-v1');
      expect(ivBytes).toEqual([16, 12]);

      // The thief now answers with CBC for that key: refused, never shown.
      const thief = await startThief(node.node.publicKeyWire()!, 16);
      const statuses: ChatStatus[] = [];
      const outcomes: Outcome[] = [];
      for (let i = 0; i < 3; i++) outcomes.push(await chatOnce(rc, `q${i}`, { statuses }));
      await thief.stop();
      expect(ivBytes.slice(2)).toEqual([12, 12, 12]);
      expect(thief.taken()).toBeGreaterThan(0);
      expect(forgedShown(outcomes)).toBe(0);
      expect(statuses.some((s) => s.type === 'answer_refused')).toBe(true);
    },
    ATTACK_TIMEOUT_MS,
  );

  it('remembers the key with the server’s known nodes across restarts of the app', async () => {
    const storage = new MemoryJsonStorage();
    const secrets = new MemorySecretStore();
    const fp = 'ab'.repeat(32);
    const a = await ProfilesStore.open({ storage, secrets });
    expect(a.speaksAead(EMBEDDED_PROFILE_ID, fp)).toBe(false);
    await a.learnAead(EMBEDDED_PROFILE_ID, fp);
    await a.flush();
    const b = await ProfilesStore.open({ storage, secrets });
    expect(b.speaksAead(EMBEDDED_PROFILE_ID, fp)).toBe(true);
    expect(b.knownNodes(EMBEDDED_PROFILE_ID).find((n) => n.fingerprint === fp)?.e2eeProfiles).toEqual(['aead-v1']);
    expect(b.speaksAead('token.place', fp)).toBe(false);
  });
});

describe('replay of another request’s answer (issue 11 §2)', () => {
  it('refuses the genuine answer of request A handed to request B, and keeps waiting for B’s own', async () => {
    await startRelay();
    await ourNode(pairs[1]!);
    await waitFor(async () => (await nodeCount()) === 1, 5000, 'node registered');
    let capturedA: string | undefined;
    let replayed = 0;
    let phase: 'A' | 'B' = 'A';
    const replayingRelay: typeof fetch = async (input, init) => {
      const retrieve = String(input).endsWith('/api/v1/relay/responses/retrieve');
      if (retrieve && phase === 'B' && capturedA !== undefined && replayed === 0) {
        replayed++;
        return new Response(capturedA, { status: 200, headers: { 'content-type': 'application/json' } });
      }
      const res = await fetch(input, init);
      if (retrieve && res.status === 200 && capturedA === undefined) capturedA = await res.clone().text();
      return res;
    };
    const rc = clientFor(pairs[4]!, replayingRelay);
    const a = await chatOnce(rc, 'request A');
    expect('answer' in a && a.answer).toMatchObject({ content: genuine('request A'), encryption: { profile: 'aead-v1', authenticated: true } });
    phase = 'B';
    const statuses: ChatStatus[] = [];
    const b = await chatOnce(rc, 'request B', { statuses });
    expect(replayed).toBe(1);
    expect(statuses.some((s) => s.type === 'answer_refused')).toBe(true);
    expect('answer' in b && b.answer).toMatchObject({ content: genuine('request B'), encryption: { profile: 'aead-v1', authenticated: true } });
  });
});

describe('a node that cannot open an aead-v1 request (§10.7)', () => {
  /** A relay that flips one bit of every aead-v1 request it carries to `victimKey`: the node cannot open it. */
  const alteringRelay =
    (victimKey: () => string): typeof fetch =>
    async (input, init) => {
      if (String(input).endsWith('/api/v1/relay/requests') && typeof init?.body === 'string') {
        const body = JSON.parse(init.body) as { server_public_key: string; ciphertext: string };
        if (body.server_public_key === victimKey()) {
          const bytes = Buffer.from(body.ciphertext, 'base64');
          bytes[0] = bytes[0]! ^ 1;
          return fetch(input, { ...init, body: JSON.stringify({ ...body, ciphertext: bytes.toString('base64') }) });
        }
      }
      return fetch(input, init);
    };

  it('its generic CBC “could not process” answer is never shown: the chat goes to another node', async () => {
    await startRelay();
    const victim = await ourNode(pairs[2]!);
    const other = await ourNode(pairs[3]!);
    await waitFor(async () => (await nodeCount()) === 2, 5000, 'nodes registered');
    const reasons: string[] = [];
    for (let i = 0; i < 4; i++) {
      const rc = clientFor(pairs[4]!, alteringRelay(() => victim.node.publicKeyWire()!));
      const answer = await rc.chat({
        model: STACK_MODEL,
        messages: [{ role: 'user', content: `q${i}` }],
        timeoutMs: 8000,
        onStatus: (s) => {
          if (s.type === 'failover') reasons.push(s.reason);
        },
      });
      expect(answer).toMatchObject({ content: genuine(`q${i}`), nodeFingerprint: other.node.status().fingerprint, encryption: { profile: 'aead-v1', authenticated: true } });
    }
    expect(reasons.length).toBeGreaterThan(0);
    expect(new Set(reasons)).toEqual(new Set(['compute_node_invalid_request']));
    // The altered requests never reached the victim's model.
    expect(victim.calls).toBe(0);
  });

  it('alone, it ends the chat with its error instead of an answer', async () => {
    await startRelay();
    const victim = await ourNode(pairs[2]!);
    await waitFor(async () => (await nodeCount()) === 1, 5000, 'node registered');
    const out = await chatOnce(clientFor(pairs[4]!), 'hello');
    expect('answer' in out && out.answer).toMatchObject({ content: genuine('hello'), encryption: { profile: 'aead-v1' } });
    const rc = clientFor(pairs[4]!, alteringRelay(() => victim.node.publicKeyWire()!));
    await expect(rc.chat({ model: STACK_MODEL, messages: [{ role: 'user', content: 'x' }], timeoutMs: 8000 })).rejects.toMatchObject({
      code: 'compute_node_invalid_request',
    });
    expect(victim.calls).toBe(1);
  });
});
