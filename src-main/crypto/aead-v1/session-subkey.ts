// A session's subkey per purpose (docs/protocol.md §10.2), derived once and kept with the session:
// a streamed answer seals one chunk per append under subkey(stream), and HKDF was most of the
// cost of each. Held in a WeakMap, so the subkeys go when the session does; never stored elsewhere.
import type { AeadV1Purpose } from './constants';
import { deriveSubkey } from './derive-subkey';
import type { AeadV1Session } from './session';

const subkeys = new WeakMap<AeadV1Session, Map<AeadV1Purpose, Buffer>>();

export function sessionSubkey(session: AeadV1Session, purpose: AeadV1Purpose): Buffer {
  let held = subkeys.get(session);
  if (!held) subkeys.set(session, (held = new Map()));
  let key = held.get(purpose);
  if (!key) held.set(purpose, (key = deriveSubkey(session.requestKey, session.requestId, purpose)));
  return key;
}
