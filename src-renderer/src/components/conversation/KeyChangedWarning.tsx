// Shown on an answer stored before trust policies whose node key was not the one pinned on that server.
import { Trans, useTranslation } from 'react-i18next';
import { shortFingerprint } from '../../lib/text';
import { Icon } from '../ui/Icon';

export function KeyChangedWarning({ fingerprint, serverName }: { fingerprint: string; serverName: string | undefined }) {
  const { t } = useTranslation('chat');
  return (
    <div className="answer-meta__warning" role="note" aria-label={t('keyChanged.label')}>
      <Icon name="warning" size={14} />
      <div>
        <p className="answer-meta__warning-title">{t('keyChanged.title')}</p>
        <p>
          <Trans
            t={t}
            i18nKey="keyChanged.what"
            values={{ server: serverName ?? t('keyChanged.thisServer'), fingerprint: shortFingerprint(fingerprint) }}
            components={{ mono: <span className="mono" /> }}
          />
        </p>
        <p>{t('keyChanged.todo')}</p>
      </div>
    </div>
  );
}
