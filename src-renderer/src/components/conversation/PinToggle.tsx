// Pins (or unpins) the node key that wrote an answer, for the server it came through.
import { useServers } from '../../stores/servers';
import { Icon } from '../ui/Icon';

export function PinToggle({ serverId, serverName, fingerprint, pinned }: { serverId: string; serverName: string; fingerprint: string; pinned: boolean }) {
  const pinNode = useServers((s) => s.pinNode);
  const unpinNode = useServers((s) => s.unpinNode);
  const busy = useServers((s) => Boolean(s.busy[`pin:${serverId}`]));
  return (
    <button
      type="button"
      className={`pin-toggle${pinned ? ' pin-toggle--on' : ''}`}
      aria-pressed={pinned}
      disabled={busy}
      title={
        pinned
          ? `Pinned on ${serverName}: you are warned if another key answers. Press to unpin.`
          : `Trust this node key on ${serverName} and warn me when another key answers.`
      }
      onClick={() => void (pinned ? unpinNode(serverId, fingerprint) : pinNode(serverId, fingerprint))}
    >
      <Icon name={pinned ? 'lock' : 'unlock'} size={12} />
      {pinned ? 'Pinned' : 'Pin this node'}
    </button>
  );
}
