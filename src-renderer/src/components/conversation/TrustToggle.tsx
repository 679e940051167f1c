// Trusts (or stops trusting) the node key that wrote an answer, on the server it came through.
import { useServers } from '../../stores/servers';
import { Icon } from '../ui/Icon';

export function TrustToggle({ serverId, serverName, fingerprint, trusted }: { serverId: string; serverName: string; fingerprint: string; trusted: boolean }) {
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
        trusted
          ? `Trusted on ${serverName}: prompts go to this key without asking. Press to stop trusting it.`
          : `Trust this node key on ${serverName}: prompts go to it without asking.`
      }
      onClick={() => void (trusted ? untrustNode(serverId, fingerprint) : trustNode(serverId, fingerprint))}
    >
      <Icon name={trusted ? 'lock' : 'unlock'} size={12} />
      {trusted ? 'Trusted' : 'Trust this node'}
    </button>
  );
}
