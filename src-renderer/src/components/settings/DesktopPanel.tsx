// Live on the desktop: answer notifications and the tray icon, both off until switched on. The
// main process shows both (the page itself has no notification permission).
import { useTranslation } from 'react-i18next';
import { useSettings } from '../../stores/settings';
import { Panel } from '../ui/Panel';
import { Switch } from '../ui/Switch';

export function DesktopPanel() {
  const { t } = useTranslation('desktop');
  const settings = useSettings((s) => s.settings);
  const update = useSettings((s) => s.update);
  return (
    <Panel title={t('panel.title')}>
      <div className="setting-row">
        <div>
          <p className="setting-row__label">{t('notify.label')}</p>
          <p className="hint">{t('notify.hint')}</p>
        </div>
        <Switch label={t('notify.label')} checked={settings.notifyOnAnswer === true} onChange={(v) => void update({ notifyOnAnswer: v })} />
      </div>
      <div className="setting-row">
        <div>
          <p className="setting-row__label">{t('tray.label')}</p>
          <p className="hint">{t('tray.hint')}</p>
        </div>
        <Switch label={t('tray.label')} checked={settings.trayEnabled === true} onChange={(v) => void update({ trayEnabled: v })} />
      </div>
    </Panel>
  );
}
