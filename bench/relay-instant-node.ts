// The instant compute node of bench/relay.ts, run as its own process (as a node is in production,
// and so the benchmark's client and node do not share one core): it long-polls the relay, opens
// each request, answers at once, and tells its parent over IPC how long its crypto took per
// request id. Started by bench/relay.ts with the relay URL and the number of pollers (0: it only
// keeps its registration, so a queue can fill); sends
// `{ ready: publicKeyWire }` once registered. Not a real node: no provider, no checks beyond the
// relay's answers.
import { performance } from 'node:perf_hooks';
import { decryptJson, encryptJson, generateRsaKeyPair, openAeadRequest, sealAeadReply } from '../src-main/crypto';
import { PROTOCOL_ID, PROTOCOL_VERSION } from '../src-shared/protocol/constants';
import type { WorkItem } from '../src-shared/protocol/relay-http';
import { CAPABILITIES } from '../test-support/relay/actors';
import { keepAlivePost } from './keep-alive-post';

const OAEP = { padding: 'oaep-sha256' } as const;

interface InnerRequest {
  request_id: string;
  api_v1_request: { messages: { content: string }[] };
}
const [relayUrl = '', pollersArg = '4'] = process.argv.slice(2);

function timed<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const value = fn();
  return [value, performance.now() - start];
}

async function main(): Promise<void> {
  const node = await generateRsaKeyPair();
  const register = () => keepAlivePost(relayUrl, '/api/v1/relay/servers/register', { server_public_key: node.publicKeyWire, capabilities: { ...CAPABILITIES, max_concurrency: 128 } });
  const reg = await register();
  if (reg.status !== 200) throw new Error(`register failed: ${reg.status}`);
  // Renewed well within the lease (§2.4.6) while the parent fills the queue without polling.
  setInterval(() => void register().catch(() => undefined), 5000).unref();
  let stopped = false;
  process.on('disconnect', () => {
    stopped = true;
    process.exit(0);
  });
  const poll = async () => {
    while (!stopped) {
      const work = await keepAlivePost<WorkItem>(relayUrl, '/api/v1/relay/servers/poll', { server_public_key: node.publicKeyWire }).catch(() => null);
      if (stopped || work === null) return;
      if (work.status !== 200 || !work.body.e2ee_v1) continue;
      const item = work.body;
      const [[inner, seal], decMs] = timed(() => openWork(item));
      const [env, encMs] = timed(() =>
        seal({ protocol: PROTOCOL_ID, version: PROTOCOL_VERSION, request_id: inner.request_id, client_public_key: item.client_public_key, api_v1_response: { message: { role: 'assistant', content: `echo: ${inner.api_v1_request.messages[0]?.content}` }, finish_reason: 'stop' } }),
      );
      process.send?.({ cryptoMs: [inner.request_id, decMs + encMs] });
      await keepAlivePost(relayUrl, '/api/v1/relay/responses', { client_public_key: item.client_public_key, request_id: item.request_id, protocol: PROTOCOL_ID, version: PROTOCOL_VERSION, chat_history: env.ciphertext, cipherkey: env.cipherkey, iv: env.iv, server_public_key: node.publicKeyWire });
    }
  };
  /** Opens a work item as our node does: a 12-byte IV is aead-v1 (§10.6), else reference CBC; and how to seal its answer. */
  const openWork = (item: WorkItem): [InnerRequest, (answer: object) => { ciphertext: string; cipherkey: string; iv: string }] => {
    const env = { ciphertext: item.ciphertext, cipherkey: item.cipherkey, iv: item.iv };
    if (Buffer.from(item.iv, 'base64').length !== 12) {
      return [decryptJson(env, node.privateKeyPem, OAEP) as InnerRequest, (answer) => encryptJson(answer, item.client_public_key, OAEP)];
    }
    const { plaintext, session } = openAeadRequest(env, { requestId: item.request_id ?? '', clientPublicKey: item.client_public_key, nodeKeys: { privateKeyPem: node.privateKeyPem, publicKeyPem: node.publicKeyPem } });
    return [JSON.parse(plaintext.toString('utf8')) as InnerRequest, (answer) => sealAeadReply(session, JSON.stringify(answer))];
  };
  process.send?.({ ready: node.publicKeyWire });
  // 0 pollers: registered and renewing, never polling (the parent fills the node's queue).
  await Promise.all(Array.from({ length: Number(pollersArg) }, poll));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
