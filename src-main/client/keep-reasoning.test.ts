// §2.3.6: a caller that shows reasoning (the app's window) asks our node to keep it with
// `api_v1_request.reasoning = "keep"` on its aead-v1 request; a caller that does not (the chat
// CLI, the local gateway) sends no such key, and the node strips reasoning as §2.3.1 says.
import { beforeAll, describe, expect, it } from 'vitest';
import { KeyHolder, type RsaKeyPair } from '../crypto';
import { chatThroughFake } from '../../test-support/client/fake-stream-relay';
import { keyPairs } from '../../test-support/client/stack';

let node: RsaKeyPair;
let client: RsaKeyPair;

beforeAll(async () => {
  [node, client] = (await keyPairs(2)) as [RsaKeyPair, RsaKeyPair];
});

describe('asking a node to keep reasoning (§2.3.6)', () => {
  it('sends reasoning: "keep" when the caller shows reasoning, and nothing otherwise', async () => {
    const kept = await chatThroughFake(node, KeyHolder.fromPair(client), { deltas: ['<think>x</think>', 'Hi'], transport: 'chunks' }, { keepReasoning: true });
    expect(kept.relay.requests[0]!.api_v1_request.reasoning).toBe('keep');
    expect('answer' in kept.outcome && kept.outcome.answer.content).toBe('<think>x</think>Hi');

    const plain = await chatThroughFake(node, KeyHolder.fromPair(client), { deltas: ['Hi'], transport: 'chunks' });
    expect(plain.relay.requests[0]!.api_v1_request).not.toHaveProperty('reasoning');
  });
});
