// The crypto of one request/answer round trip in each profile (docs/protocol.md §10 vs §1): the
// client seals a 1 KiB inner request, the node opens it, seals a 1 KiB answer, the client opens
// it — JSON encoding included, no network. Reference CBC here is the cheapest CBC there is
// (OAEP-SHA256 both ways, no PKCS#1 v1.5 attempt): two RSA private operations per round trip
// against aead-v1's one (the answer is keyed from the request, §10.5.2).
import { performance } from 'node:perf_hooks';
import {
  decryptJson,
  encryptJson,
  jsonPlaintext,
  openAeadReply,
  openAeadRequest,
  parseJsonPlaintext,
  sealAeadReply,
  sealAeadRequest,
  type RsaKeyPair,
} from '../src-main/crypto';
import { median } from './stats';

export interface RoundTripCost {
  aead_round_trip_ms: number;
  cbc_round_trip_ms: number;
  /** aead / cbc (below 1: aead-v1 is cheaper). */
  aead_over_cbc: number;
}


export function measureRoundTrips(client: RsaKeyPair, node: RsaKeyPair, runs: number): RoundTripCost {
  const request = { prompt: 'q'.repeat(1024) };
  const answer = { content: 'a'.repeat(1024) };
  const cbc = () => {
    const sent = encryptJson(request, node.publicKeyWire, { padding: 'oaep-sha256', mode: 'cbc' });
    decryptJson(sent, node.privateKeyPem, { padding: 'oaep-sha256', requireMode: 'cbc' });
    const reply = encryptJson(answer, client.publicKeyWire, { padding: 'oaep-sha256', mode: 'cbc' });
    decryptJson(reply, client.privateKeyPem, { padding: 'oaep-sha256', requireMode: 'cbc' });
  };
  let n = 0;
  const aead = () => {
    const parties = { requestId: `bench-${++n}`, clientPublicKey: client.publicKeyWire, nodePublicKey: node.publicKeyWire };
    const sealed = sealAeadRequest(jsonPlaintext(request), parties);
    const opened = openAeadRequest(sealed.envelope, { requestId: parties.requestId, clientPublicKey: client.publicKeyWire, nodeKeys: node });
    parseJsonPlaintext(opened.plaintext);
    const reply = sealAeadReply(opened.session, jsonPlaintext(answer));
    parseJsonPlaintext(openAeadReply(sealed.session, reply));
  };
  const time = (fn: () => void) => {
    const start = performance.now();
    fn();
    return performance.now() - start;
  };
  const a: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < runs + 10; i++) {
    // ABBA order: neither profile always runs right after the other.
    const [ta, tc] = i % 2 ? [time(aead), time(cbc)] : [time(cbc), time(aead)].reverse();
    if (i >= 10) {
      a.push(ta!);
      c.push(tc!);
    }
  }
  return { aead_round_trip_ms: median(a), cbc_round_trip_ms: median(c), aead_over_cbc: median(a) / median(c) };
}
