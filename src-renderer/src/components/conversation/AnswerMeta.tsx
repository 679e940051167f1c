// The facts under one answer: which cipher protected it, which node key answered, via which relay.
import type { AnswerMeta as Meta } from '../../../../src-shared/ipc/contract';
import { formatElapsed } from '../../lib/phases';
import { groupedFingerprint, hostOf, shortFingerprint } from '../../lib/text';
import { useServers } from '../../stores/servers';
import { Icon } from '../ui/Icon';

export function encryptionLabel(meta: Meta): { short: string; long: string; compat: boolean } {
  const gcm = meta.encryption.symmetric === 'AES-256-GCM';
  const wrap = (w: string) => (w === 'RSA-OAEP-SHA256' ? 'RSA-OAEP (SHA-256)' : 'RSA PKCS#1 v1.5');
  return {
    short: gcm ? 'AES-GCM' : 'AES-CBC · compatibility',
    long:
      `${gcm ? 'AES-256-GCM (authenticated)' : 'AES-256-CBC, the token.place compatibility mode'}; ` +
      `request key wrapped with ${wrap(meta.encryption.requestWrap)}, answer key with ${wrap(meta.encryption.replyWrap)}.`,
    compat: !gcm,
  };
}

export function AnswerMeta({ meta }: { meta: Meta }) {
  const enc = encryptionLabel(meta);
  const fp = meta.nodeFingerprint;
  const server = useServers((s) => s.list?.servers.find((x) => x.id === meta.serverId));
  return (
    <div className="answer-meta">
      {meta.nodeKeyChanged && <KeyChangedWarning fingerprint={fp} serverName={server?.name} />}
      <ul className="answer-meta__facts" aria-label="How this answer was delivered">
        <li title={enc.long} className={enc.compat ? 'fact fact--compat' : 'fact fact--secure'}>
          <Icon name="lock" size={13} />
          <span className="visually-hidden">Encryption: </span>
          {enc.short}
        </li>
        <li title={`Node key fingerprint (SHA-256): ${groupedFingerprint(fp)}`} className="fact fact--mono">
          <span className="visually-hidden">Node key fingerprint, first 16 characters: </span>
          <span aria-hidden="true">node </span>
          {shortFingerprint(fp)}
        </li>
        <li title={`Relay: ${meta.relayUrl}`} className="fact">
          <span className="visually-hidden">Relay: </span>
          <span aria-hidden="true">via </span>
          {hostOf(meta.relayUrl)}
        </li>
        <li className="fact" title="Model that answered">
          <span className="visually-hidden">Model: </span>
          {meta.model}
        </li>
        <li className="fact" title="Time until the answer arrived">
          <span className="visually-hidden">Took </span>
          {formatElapsed(meta.elapsedMs)}
        </li>
        {server && (
          <li className="fact">
            <PinToggle serverId={server.id} serverName={server.name} fingerprint={fp} pinned={server.pin?.fingerprint === fp} />
          </li>
        )}
      </ul>
    </div>
  );
}

/** Shown on an answer whose node key is not the one the user pinned for that server. */
function KeyChangedWarning({ fingerprint, serverName }: { fingerprint: string; serverName: string | undefined }) {
  return (
    <div className="answer-meta__warning" role="note" aria-label="Node key changed">
      <Icon name="warning" size={14} />
      <div>
        <p className="answer-meta__warning-title">This answer came from a node key you did not pin.</p>
        <p>
          You pinned a node on {serverName ?? 'this server'}, but this answer came from node{' '}
          <span className="mono">{shortFingerprint(fingerprint)}</span>. It is still end-to-end encrypted, yet it may have been
          written by a different machine. A node also gets a new key when it restarts.
        </p>
        <p>
          If you run that node or trust the new key, choose “Pin this node” below. If you did not expect a change, do not send
          anything private here and ask the node’s operator to confirm the fingerprint.
        </p>
      </div>
    </div>
  );
}

function PinToggle({ serverId, serverName, fingerprint, pinned }: { serverId: string; serverName: string; fingerprint: string; pinned: boolean }) {
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
