// The icon-only copy button of a message row (a question or an answer).
import { useTranslation } from 'react-i18next';
import { CopyButton } from '../ui/CopyButton';

export function CopyMessageButton({ text }: { text: string }) {
  const { t } = useTranslation('chat');
  return <CopyButton text={text} label={t('copyMessage')} copiedLabel={t('common:copy.done')} className="icon-btn" iconSize={15} title={t('common:copy.action')} />;
}
