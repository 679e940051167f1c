// What a conversation without messages shows: how its messages are protected.
import { useTranslation } from 'react-i18next';
import { LockBadge } from '../ui/LockBadge';

export function EmptyConversation() {
  const { t } = useTranslation('chat');
  return (
    <div className="empty-conversation">
      <LockBadge size={22} />
      <h2>{t('empty.title')}</h2>
      <p>{t('empty.explain')}</p>
    </div>
  );
}
