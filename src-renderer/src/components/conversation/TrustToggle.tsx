// Trusts (or stops trusting) the node key that wrote an answer, on the server it came through.
import { useTranslation } from 'react-i18next';
import { useServers } from '../../stores/servers';
import { Icon } from '../ui/Icon';

export function TrustToggle({ serverId, serverName, fingerprint, trusted }: { serverId: string; serverName: string; fingerprint: string; trusted: boolean }) {
  const { t } = useTranslation('chat');
  const trustNode = useServers((s) => s.trustNode);
  const untrustNode = useServers((s) => s.untrustNode);
  const busy = useServers((s) => Boolean(s.busy[`trust:${serverId}`]));
  return (
    <button
      type="button"
      className={`pin-toggle${trusted ? ' pin-toggle--on' : ''}`}
      aria-pressed={trusted}
      disabled={busy}
      title={
        trusted ? t('trust.trustedTitle', { server: serverName }) : t('trust.trustTitle', { server: serverName })
      }
      onClick={() => void (trusted ? untrustNode(serverId, fingerprint) : trustNode(serverId, fingerprint))}
    >
      <Icon name={trusted ? 'lock' : 'unlock'} size={12} />
      {trusted ? t('trust.trusted') : t('trust.trust')}
    </button>
  );
}
