// Asks before a prompt goes to a node key not trusted on its server: the key's fingerprint, the
// server, whether it replaces a key trusted there, and the three answers (send / any node / don't).
import type { NodeConfirmation } from '../../../../src-shared/ipc/contract';
import { groupedFingerprint } from '../../lib/text';
import { useConversations } from '../../stores/conversations';
import { useTrust } from '../../stores/trust';
import { Modal } from '../ui/Modal';

/** Shown by the workspace while a question waits (not from the dialog table: the backend opens it). */
export function TrustPromptDialog() {
  const first = useTrust((s) => s.pending[0]);
  if (!first) return null;
  return <TrustQuestion key={first.id} confirmation={first} />;
}

function TrustQuestion({ confirmation: c }: { confirmation: NodeConfirmation }) {
  const answer = useTrust((s) => s.answer);
  const answering = useTrust((s) => s.answering);
  const title = useConversations((s) => s.summaries.find((x) => x.id === c.conversationId)?.title);
  const changed = c.trustedFingerprints.length > 0;
  const refuse = () => void answer(c.id, 'refuse');
  return (
    <Modal
      title={changed ? `The node key on ${c.serverName} changed` : `New node key on ${c.serverName}`}
      description="Nothing has been sent yet. Your message is encrypted to this key only if you trust it."
      onClose={refuse}
      footer={
        <>
          <button type="button" className="btn btn--ghost" disabled={answering} onClick={refuse}>
            Don’t send
          </button>
          {c.liveNodes > 1 && (
            <button type="button" className="btn btn--ghost" disabled={answering} onClick={() => void answer(c.id, 'trust-any-node')}>
              Trust any node on this server
            </button>
          )}
          <button type="button" className="btn btn--primary" disabled={answering} onClick={() => void answer(c.id, 'trust')}>
            Trust this key and send
          </button>
        </>
      }
    >
      <div className="trust-prompt">
        {changed ? (
          <p>
            <strong>This key changed since you last trusted it.</strong> {c.serverName} now offers a node key you have not
            trusted there. A node gets a new key when it is reinstalled or its key is rotated — but a different machine
            could also be answering in its place.
          </p>
        ) : (
          <p>{c.serverName} offers a node key you have not trusted there.</p>
        )}
        <dl className="trust-prompt__keys">
          <dt>Offered key (SHA-256 fingerprint)</dt>
          <dd className="mono" aria-label="Offered node key fingerprint">
            {groupedFingerprint(c.fingerprint)}
          </dd>
          {changed && (
            <>
              <dt>{c.trustedFingerprints.length === 1 ? 'Key you trusted here' : 'Keys you trusted here'}</dt>
              {c.trustedFingerprints.slice(0, 3).map((fp) => (
                <dd key={fp} className="mono">
                  {groupedFingerprint(fp)}
                </dd>
              ))}
            </>
          )}
        </dl>
        {title && <p className="hint">Waiting to send: “{title}”.</p>}
        <p className="hint">
          If you run that node, compare this fingerprint with the one it shows. If you did not expect a change, choose Don’t
          send and ask the node’s operator.
          {c.liveNodes > 1 && ` ${c.serverName} has ${c.liveNodes} nodes online and may pick a different one each time.`}
        </p>
      </div>
    </Modal>
  );
}
