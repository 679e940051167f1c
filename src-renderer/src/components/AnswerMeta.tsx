// The facts under one answer: which cipher protected it, which node key answered, via which relay.
import type { AnswerMeta as Meta } from '../../../src-shared/ipc/contract';
import { formatElapsed } from '../lib/phases';
import { groupedFingerprint, hostOf, shortFingerprint } from '../lib/text';
import { Icon } from './Icon';

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
  return (
    <div className="answer-meta">
      {meta.nodeKeyChanged && (
        <p className="answer-meta__warning" role="note">
          <Icon name="warning" size={14} />
          <span>
            This node’s key changed since you last used it. The answer is still encrypted, but it may come from a different
            machine. Compare the fingerprint with the node’s operator if that matters to you.
          </span>
        </p>
      )}
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
      </ul>
    </div>
  );
}
