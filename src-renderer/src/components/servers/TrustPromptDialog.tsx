// Asks before a prompt goes to a node key not trusted on its server: the key's fingerprint, the
// server, whether it replaces a key trusted there, and the three answers (send / any node / don't).
import { Trans, useTranslation } from 'react-i18next';
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
  const { t } = useTranslation('servers');
  const answer = useTrust((s) => s.answer);
  const answering = useTrust((s) => s.answering);
  const title = useConversations((s) => s.summaries.find((x) => x.id === c.conversationId)?.title);
  const changed = c.trustedFingerprints.length > 0;
  const refuse = () => void answer(c.id, 'refuse');
  return (
    <Modal
      title={changed ? t('prompt.titleChanged', { server: c.serverName }) : t('prompt.titleNew', { server: c.serverName })}
      description={t('prompt.explain')}
      onClose={refuse}
      footer={
        <>
          <button type="button" className="btn btn--ghost" disabled={answering} onClick={refuse}>
            {t('prompt.refuse')}
          </button>
          {c.liveNodes > 1 && (
            <button type="button" className="btn btn--ghost" disabled={answering} onClick={() => void answer(c.id, 'trust-any-node')}>
              {t('prompt.anyNode')}
            </button>
          )}
          <button type="button" className="btn btn--primary" disabled={answering} onClick={() => void answer(c.id, 'trust')}>
            {t('prompt.trust')}
          </button>
        </>
      }
    >
      <div className="trust-prompt">
        {changed ? (
          <p>
            <Trans t={t} i18nKey="prompt.changed" values={{ server: c.serverName }} components={{ strong: <strong /> }} />
          </p>
        ) : (
          <p>{t('prompt.new', { server: c.serverName })}</p>
        )}
        <dl className="trust-prompt__keys">
          <dt>{t('prompt.offered')}</dt>
          <dd className="mono" aria-label={t('prompt.offeredLabel')}>
            {groupedFingerprint(c.fingerprint)}
          </dd>
          {changed && (
            <>
              <dt>{t('prompt.trusted', { count: c.trustedFingerprints.length })}</dt>
              {c.trustedFingerprints.slice(0, 3).map((fp) => (
                <dd key={fp} className="mono">
                  {groupedFingerprint(fp)}
                </dd>
              ))}
            </>
          )}
        </dl>
        {title && <p className="hint">{t('prompt.waiting', { title })}</p>}
        <p className="hint">
          {t('prompt.compare')}
          {c.liveNodes > 1 && ` ${t('prompt.manyNodes', { server: c.serverName, count: c.liveNodes })}`}
        </p>
      </div>
    </Modal>
  );
}
