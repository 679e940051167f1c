// What the main area shows when there is no conversation yet.
import { Trans, useTranslation } from 'react-i18next';
import { useConversations } from '../../stores/conversations';
import { Icon } from '../ui/Icon';
import { LockBadge } from '../ui/LockBadge';

export function Welcome() {
  const { t } = useTranslation('common');
  const create = useConversations((s) => s.create);
  return (
    <div className="welcome">
      <LockBadge size={24} />
      <h1>{t('welcome.title')}</h1>
      <p>{t('welcome.explain')}</p>
      <button type="button" className="btn btn--primary" onClick={() => void create()}>
        <Icon name="plus" size={15} /> {t('welcome.start')}
      </button>
      <p className="hint">
        <Trans t={t} i18nKey="welcome.shortcuts" components={{ kbd: <kbd /> }} />
      </p>
    </div>
  );
}
