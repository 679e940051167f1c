// Which version runs on which platform, and what protects the key of the stored conversations.
import { useTranslation } from 'react-i18next';
import { useApp } from '../../stores/app';
import { Panel } from '../ui/Panel';

export function AboutPanel() {
  const { t } = useTranslation('settings');
  const info = useApp((s) => s.info);
  if (!info) return null;

  return (
    <Panel title={t('about.title')}>
      <p className="hint">{t(info.secretStorage === 'os' ? 'about.textKeychain' : 'about.textPassphrase', { version: info.version, platform: info.platform })}</p>
    </Panel>
  );
}
