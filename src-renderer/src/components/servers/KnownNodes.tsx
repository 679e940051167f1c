// Node keys one server offered, which of them are trusted there (trust / untrust), and the
// server's trust policy (what happens before a prompt goes to a key not trusted there).
import { useTranslation } from 'react-i18next';
import type { ServerProfile } from '../../../../src-shared/ipc/contract';
import { TrustPolicySchema } from '../../../../src-shared/vocabulary';
import { TRUST_POLICY_LABEL } from '../../lib/labels';
import { groupedFingerprint, relativeTime, shortFingerprint } from '../../lib/text';
import { useServers } from '../../stores/servers';

export function KnownNodes({ server }: { server: ServerProfile }) {
  const { t } = useTranslation('servers');
  const trustNode = useServers((s) => s.trustNode);
  const untrustNode = useServers((s) => s.untrustNode);
  const setTrustPolicy = useServers((s) => s.setTrustPolicy);
  const busy = useServers((s) => Boolean(s.busy[`trust:${server.id}`]));
  const nodes = server.knownNodes;
  return (
    <div className="known-nodes-box">
      <label className="known-nodes__mode">
        <span>{t('known.policy', { server: server.name })}</span>
        <select value={server.trustPolicy} disabled={busy} onChange={(e) => void setTrustPolicy(server.id, TrustPolicySchema.parse(e.target.value))}>
          {TrustPolicySchema.options.map((p) => (
            <option key={p} value={p}>
              {t(TRUST_POLICY_LABEL[p])}
            </option>
          ))}
        </select>
      </label>
      {nodes.length > 0 && (
        <>
          <p className="known-nodes__title">{t('known.title')}</p>
          <ul className="known-nodes" aria-label={t('known.list', { server: server.name })}>
            {nodes.map((n) => {
              const trusted = n.trusted !== null;
              const short = shortFingerprint(n.fingerprint);
              return (
                <li key={n.fingerprint} className="known-nodes__row">
                  <span className="mono" title={t('chat:meta.fingerprintTitle', { fingerprint: groupedFingerprint(n.fingerprint) })}>
                    {short}
                  </span>
                  <span className="known-nodes__meta">
                    {t('known.seen', { count: n.answers, when: relativeTime(n.lastSeenAt) })}
                  </span>
                  {n.trusted && <span className="tag">{n.trusted === 'first-use' ? t('chat:nodeTrust.first-use') : t('known.trusted')}</span>}
                  <button
                    type="button"
                    className="btn btn--ghost btn--small"
                    aria-pressed={trusted}
                    disabled={busy}
                    aria-label={trusted ? t('known.untrustLabel', { node: short }) : t('known.trustLabel', { node: short })}
                    onClick={() => void (trusted ? untrustNode(server.id, n.fingerprint) : trustNode(server.id, n.fingerprint))}
                  >
                    {trusted ? t('known.untrust') : t('known.trust')}
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
