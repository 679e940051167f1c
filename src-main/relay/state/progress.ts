// §2.4.8 encrypted progress: only the holding node (live credential; for a request dispatched to
// a verified registration, that registration's, §9.4) may post; the relay keeps the latest
// envelope per request and hands it to the client on its next retrieve.
import type { ProgressBody } from '../../../src-shared/protocol/relay-http';
import { ControlCredentialError, ProgressRejectedError } from '../errors';
import type { RelayContext } from './context';
import { assertReporter, type ReporterRefusal } from './holder';
import { clientHashOf, keys, nodeIdOf, requestKeyOf, type NodeRecord, type RequestRecord } from './model';
import { mutate } from './mutate';

function refuseProgress(why: ReporterRefusal): never {
  if (why === 'credential') throw new ControlCredentialError();
  throw new ProgressRejectedError(410, why === 'expired' ? 'Progress request has expired' : 'Progress request is not active for this owner');
}

export async function storeProgress(ctx: RelayContext, body: ProgressBody): Promise<void> {
  const nodeId = nodeIdOf(body.server_public_key);
  const node = await ctx.store.get<NodeRecord>(keys.node(nodeId));
  const reqKey = requestKeyOf(clientHashOf(body.client_public_key), body.request_id);
  const now = ctx.now();
  await mutate<RequestRecord, void>(ctx.store, keys.request(reqKey), (r) => {
    assertReporter(r, nodeId, node?.value ?? null, body.control_credential, now, refuseProgress);
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
