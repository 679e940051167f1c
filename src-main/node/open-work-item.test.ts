// The node's request decryption leaks nothing by its cost (docs/protocol.md §1.9.4): whatever a
// work item holds, it gets both unwraps, and node-forge's PKCS#1 v1.5 work runs on a worker
// thread while the node's event loop (polls, heartbeats, answers) keeps turning.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { toRelayMessageEnvelope } from '../../src-shared/protocol/envelope';
import { forgeProbeSet, loopTurnsWhile } from '../../test-support/crypto/side-channel-probes';
import { RsaUnwrapPool, encryptJson, generateRsaKeyPair, type RsaKeyPair, type RsaPadding } from '../crypto';
import { openWorkItem } from './open-work-item';

let node: RsaKeyPair;
beforeAll(async () => {
  node = await generateRsaKeyPair();
});
const forgeProbes = forgeProbeSet();
const forgeProbe = () => forgeProbes.start();
afterEach(() => {
  vi.restoreAllMocks();
  forgeProbes.restoreAll();
});

const item = (padding: RsaPadding, to = node.publicKeyWire) => ({
  client_public_key: 'k',
  ...toRelayMessageEnvelope(encryptJson({ hello: 'world' }, to, { padding, mode: 'cbc' })),
});

describe('openWorkItem side channels', () => {
  it('a PKCS#1 v1.5 request is opened off the event loop: no forge work on this thread, the loop keeps turning', async () => {
    const fresh = await generateRsaKeyPair();
    const forgeHere = forgeProbe();
    const { turns, value } = await loopTurnsWhile(openWorkItem(item('pkcs1v15', fresh.publicKeyWire), fresh, 'legacy-oaep-then-pkcs1v15', 'mirror'));
    expect(value).toEqual({ value: { hello: 'world' }, protection: { profile: 'reference-cbc', padding: 'pkcs1v15' } });
    expect(forgeHere.count()).toBe(0);
    expect(turns).toBeGreaterThanOrEqual(10);
  });

  it('valid OAEP, valid v1.5 and undecryptable items all cost both unwraps of the same block size', async () => {
    const unwrap = vi.spyOn(RsaUnwrapPool.prototype, 'unwrap');
    const stranger = await generateRsaKeyPair();
    const items = [item('oaep-sha256'), item('pkcs1v15'), item('oaep-sha256', stranger.publicKeyWire), { ...item('pkcs1v15'), cipherkey: Buffer.alloc(256, 1).toString('base64') }];
    const opened = [];
    for (const it of items) opened.push(await openWorkItem(it, node, 'legacy-oaep-then-pkcs1v15', 'mirror'));
    expect(opened.map((o) => (o?.protection.profile === 'reference-cbc' ? o.protection.padding : null))).toEqual(['oaep-sha256', 'pkcs1v15', null, null]);
    expect(unwrap.mock.calls.map(([, wrapped, paddings]) => [wrapped.length, paddings])).toEqual(
      items.map(() => [256, ['oaep-sha256', 'pkcs1v15']]),
    );
  });
});
