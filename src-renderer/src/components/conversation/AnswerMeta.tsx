// The facts under one answer: which cipher protected it, which node key answered, via which relay,
// and how it was written (first text, tokens, rate, why it ended).
import type { AnswerMeta as Meta } from '../../../../src-shared/ipc/contract';
import { answerStats } from '../../lib/answer-stats';
import { encryptionLabel, NODE_TRUST_LABEL } from '../../lib/labels';
import { formatElapsed } from '../../lib/phases';
import { groupedFingerprint, hostOf, shortFingerprint } from '../../lib/text';
import { useServers } from '../../stores/servers';
import { Icon } from '../ui/Icon';
import { KeyChangedWarning } from './KeyChangedWarning';
import { TrustToggle } from './TrustToggle';

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
        {answerStats(meta).map((stat) => (
          <li key={stat.title} className="fact" title={stat.title}>
            <span className="visually-hidden">{stat.title}: </span>
            {stat.text}
          </li>
        ))}
        {meta.nodeTrust && (
          <li className="fact" title="Why this node key was trusted when the prompt was sent">
            <span className="visually-hidden">Node key: </span>
            {NODE_TRUST_LABEL[meta.nodeTrust]}
          </li>
        )}
        {server && meta.nodeTrust !== 'own-node' && (
          <li className="fact">
            <TrustToggle serverId={server.id} serverName={server.name} fingerprint={fp} trusted={Boolean(server.knownNodes.find((n) => n.fingerprint === fp)?.trusted)} />
          </li>
        )}
      </ul>
    </div>
  );
}
