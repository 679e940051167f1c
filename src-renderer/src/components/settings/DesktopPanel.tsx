// Live on the desktop: answer notifications and the tray icon, both off until switched on. The
// main process shows both (the page itself has no notification permission).
import { useTranslation } from 'react-i18next';
import { useSettings } from '../../stores/settings';
import { Panel } from '../ui/Panel';
import { SettingSwitch } from '../ui/SettingSwitch';

export function DesktopPanel() {
  const { t } = useTranslation('desktop');
  const settings = useSettings((s) => s.settings);
  const update = useSettings((s) => s.update);
  return (
    <Panel title={t('panel.title')}>
      <SettingSwitch label={t('notify.label')} hint={t('notify.hint')} checked={settings.notifyOnAnswer === true} onChange={(v) => void update({ notifyOnAnswer: v })} />
      <SettingSwitch label={t('tray.label')} hint={t('tray.hint')} checked={settings.trayEnabled === true} onChange={(v) => void update({ trayEnabled: v })} />
    </Panel>
  );
}
