// Node keys that answered on one server, with pin / unpin and what a pin does when the key changes.
import type { ServerProfile } from '../../../../src-shared/ipc/contract';
import { groupedFingerprint, plural, relativeTime, shortFingerprint } from '../../lib/text';
import { useServers } from '../../stores/servers';

export function KnownNodes({ server }: { server: ServerProfile }) {
  const pinNode = useServers((s) => s.pinNode);
  const unpinNode = useServers((s) => s.unpinNode);
  const busy = useServers((s) => Boolean(s.busy[`pin:${server.id}`]));
  const nodes = server.knownNodes;
  if (nodes.length === 0 && !server.pin) return null;
  const pin = server.pin;
  const pinnedMissing = pin && !nodes.some((n) => n.fingerprint === pin.fingerprint);
  return (
    <div className="known-nodes-box">
      <p className="known-nodes__title">Node keys that answered here</p>
      <ul className="known-nodes" aria-label={`Node keys seen on ${server.name}`}>
        {pinnedMissing && (
          <li className="known-nodes__row">
            <span className="mono" title={groupedFingerprint(pin.fingerprint)}>{shortFingerprint(pin.fingerprint)}</span>
            <span className="tag">pinned</span>
            <button type="button" className="btn btn--ghost btn--small" aria-pressed disabled={busy} aria-label={`Unpin node ${shortFingerprint(pin.fingerprint)}`} onClick={() => void unpinNode(server.id, pin.fingerprint)}>
              Unpin
            </button>
          </li>
        )}
        {nodes.map((n) => {
          const pinned = pin?.fingerprint === n.fingerprint;
          const short = shortFingerprint(n.fingerprint);
          return (
            <li key={n.fingerprint} className="known-nodes__row">
              <span className="mono" title={`Node key fingerprint (SHA-256): ${groupedFingerprint(n.fingerprint)}`}>
                {short}
              </span>
              <span className="known-nodes__meta">
                {plural(n.answers, 'answer')} · last {relativeTime(n.lastSeenAt)}
              </span>
              {pinned && <span className="tag">pinned</span>}
              <button
                type="button"
                className="btn btn--ghost btn--small"
                aria-pressed={pinned}
                disabled={busy}
                aria-label={`${pinned ? 'Unpin' : 'Pin'} node ${short}`}
                onClick={() => void (pinned ? unpinNode(server.id, n.fingerprint) : pinNode(server.id, n.fingerprint, pin?.mode ?? 'warn'))}
              >
                {pinned ? 'Unpin' : 'Pin'}
              </button>
            </li>
          );
        })}
      </ul>
      {pin && (
        <label className="known-nodes__mode">
          <span>When another node key answers on {server.name}</span>
          <select value={pin.mode} disabled={busy} onChange={(e) => void pinNode(server.id, pin.fingerprint, e.target.value === 'require' ? 'require' : 'warn')}>
            <option value="warn">Warn me on the answer</option>
            <option value="require">Refuse to send to it</option>
          </select>
        </label>
      )}
    </div>
  );
}
