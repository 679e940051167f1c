// §2.4.8 encrypted progress: only the holding node (live credential; for a request dispatched to
// a verified registration, that registration's, §9.4) may post; the relay keeps the latest
// envelope per request and hands it to the client on its next retrieve.
import type { ProgressBody } from '../../../src-shared/protocol/relay-http';
import { ControlCredentialError, ProgressRejectedError } from '../errors';
import type { RelayContext } from './context';
import { judgeHolder } from './holder';
import { clientHashOf, keys, nodeIdOf, requestKeyOf, type NodeRecord, type RequestRecord } from './model';
import { mutate } from './mutate';
import { digestMatches } from './nodes';

export async function storeProgress(ctx: RelayContext, body: ProgressBody): Promise<void> {
  const nodeId = nodeIdOf(body.server_public_key);
  const node = await ctx.store.get<NodeRecord>(keys.node(nodeId));
  if (!node || !digestMatches(body.control_credential, node.value.credentialDigest)) throw new ControlCredentialError();
  const reqKey = requestKeyOf(clientHashOf(body.client_public_key), body.request_id);
  const now = ctx.now();
  await mutate<RequestRecord, void>(ctx.store, keys.request(reqKey), (r) => {
    if (!r || r.state !== 'in_flight' || r.nodeId !== nodeId)
      throw new ProgressRejectedError(410, 'Progress request is not active for this owner');
    if (judgeHolder(r, node.value, body.control_credential) !== 'ok') throw new ControlCredentialError();
    if (r.deadlineAt <= now) throw new ProgressRejectedError(410, 'Progress request has expired');
    const progress = {
      client_public_key: body.client_public_key,
      request_id: body.request_id,
      protocol: body.protocol,
      version: body.version,
      ciphertext: body.ciphertext,
      cipherkey: body.cipherkey,
      iv: body.iv,
    };
    return { write: { ...r, progress }, effects: [{ op: 'publish', channel: keys.requestChannel(reqKey) }], result: undefined };
  });
}
