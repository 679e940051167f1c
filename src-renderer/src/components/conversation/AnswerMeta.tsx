// The facts under one answer: which cipher protected it, which node key answered, via which relay,
// and how it was written (first text, tokens, rate, why it ended).
import { useTranslation } from 'react-i18next';
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
  const { t } = useTranslation('chat');
  const enc = encryptionLabel(meta);
  const fp = meta.nodeFingerprint;
  const server = useServers((s) => s.list?.servers.find((x) => x.id === meta.serverId));
  return (
    <div className="answer-meta">
      {meta.nodeKeyChanged && <KeyChangedWarning fingerprint={fp} serverName={server?.name} />}
      <ul className="answer-meta__facts" aria-label={t('meta.list')}>
        <li title={enc.long} className={enc.compat ? 'fact fact--compat' : 'fact fact--secure'}>
          <Icon name="lock" size={13} />
          <span className="visually-hidden">{t('meta.encryption')} </span>
          {enc.short}
        </li>
        <li title={t('meta.fingerprintTitle', { fingerprint: groupedFingerprint(fp) })} className="fact fact--mono">
          <span className="visually-hidden">{t('meta.fingerprintSpoken')} </span>
          <span aria-hidden="true">{t('meta.node')} </span>
          {shortFingerprint(fp)}
        </li>
        <li title={t('meta.relayTitle', { url: meta.relayUrl })} className="fact">
          <span className="visually-hidden">{t('meta.relay')} </span>
          <span aria-hidden="true">{t('meta.via')} </span>
          {hostOf(meta.relayUrl)}
        </li>
        <li className="fact" title={t('meta.modelTitle')}>
          <span className="visually-hidden">{t('meta.model')} </span>
          {meta.model}
        </li>
        <li className="fact" title={t('meta.tookTitle')}>
          <span className="visually-hidden">{t('meta.took')} </span>
          {formatElapsed(meta.elapsedMs)}
        </li>
        {answerStats(meta).map((stat) => (
          <li key={stat.title} className="fact" title={stat.title}>
            <span className="visually-hidden">{t('meta.statSpoken', { title: stat.title })} </span>
            {stat.text}
          </li>
        ))}
        {meta.nodeTrust && (
          <li className="fact" title={t('meta.trustTitle')}>
            <span className="visually-hidden">{t('meta.nodeKey')} </span>
            {t(NODE_TRUST_LABEL[meta.nodeTrust])}
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
