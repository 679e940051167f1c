// Node keys one server offered, which of them are trusted there (trust / untrust), and the
// server's trust policy (what happens before a prompt goes to a key not trusted there).
import type { ServerProfile } from '../../../../src-shared/ipc/contract';
import { TrustPolicySchema } from '../../../../src-shared/vocabulary';
import { TRUST_POLICY_LABEL } from '../../lib/labels';
import { groupedFingerprint, plural, relativeTime, shortFingerprint } from '../../lib/text';
import { useServers } from '../../stores/servers';

export function KnownNodes({ server }: { server: ServerProfile }) {
  const trustNode = useServers((s) => s.trustNode);
  const untrustNode = useServers((s) => s.untrustNode);
  const setTrustPolicy = useServers((s) => s.setTrustPolicy);
  const busy = useServers((s) => Boolean(s.busy[`trust:${server.id}`]));
  const nodes = server.knownNodes;
  return (
    <div className="known-nodes-box">
      <label className="known-nodes__mode">
        <span>Before a prompt goes to a node key not trusted on {server.name}</span>
        <select value={server.trustPolicy} disabled={busy} onChange={(e) => void setTrustPolicy(server.id, TrustPolicySchema.parse(e.target.value))}>
          {TrustPolicySchema.options.map((p) => (
            <option key={p} value={p}>
              {TRUST_POLICY_LABEL[p]}
            </option>
          ))}
        </select>
      </label>
      {nodes.length > 0 && (
        <>
          <p className="known-nodes__title">Node keys seen here</p>
          <ul className="known-nodes" aria-label={`Node keys seen on ${server.name}`}>
            {nodes.map((n) => {
              const trusted = n.trusted !== null;
              const short = shortFingerprint(n.fingerprint);
              return (
                <li key={n.fingerprint} className="known-nodes__row">
                  <span className="mono" title={`Node key fingerprint (SHA-256): ${groupedFingerprint(n.fingerprint)}`}>
                    {short}
                  </span>
                  <span className="known-nodes__meta">
                    {plural(n.answers, 'answer')} · last {relativeTime(n.lastSeenAt)}
                  </span>
                  {n.trusted && <span className="tag">{n.trusted === 'first-use' ? 'trusted on first use' : 'trusted'}</span>}
                  <button
                    type="button"
                    className="btn btn--ghost btn--small"
                    aria-pressed={trusted}
                    disabled={busy}
                    aria-label={`${trusted ? 'Stop trusting' : 'Trust'} node ${short}`}
                    onClick={() => void (trusted ? untrustNode(server.id, n.fingerprint) : trustNode(server.id, n.fingerprint))}
                  >
                    {trusted ? 'Untrust' : 'Trust'}
                  </button>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </div>
  );
}
