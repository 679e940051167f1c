// Shown on an answer stored before trust policies whose node key was not the one pinned on that server.
import { shortFingerprint } from '../../lib/text';
import { Icon } from '../ui/Icon';

export function KeyChangedWarning({ fingerprint, serverName }: { fingerprint: string; serverName: string | undefined }) {
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
          If you run that node or trust the new key, choose “Trust this node” below. If you did not expect a change, do not send
          anything private here and ask the node’s operator to confirm the fingerprint.
        </p>
      </div>
    </div>
  );
}
