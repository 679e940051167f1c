// The sidebar's footer: the active server and its health (opens Servers), Models, Settings and Help.
import { useTranslation } from 'react-i18next';
import { healthSummary, healthTone } from '../../lib/status';
import { activeServer, useServers } from '../../stores/servers';
import { useUi } from '../../stores/ui';
import { Icon } from '../ui/Icon';
import { StatusDot } from '../ui/StatusDot';

export function SidebarFooter() {
  const { t } = useTranslation('sidebar');
  const list = useServers((s) => s.list);
  const openDialog = useUi((s) => s.openDialog);
  const server = activeServer(list);
  const h = server?.health;
  const details = h ? healthSummary(h) : t('footer.notConnected');
  return (
    <div className="sidebar__footer">
      <button
        type="button"
        className="server-switch"
        onClick={() => openDialog('servers')}
        aria-label={t('footer.serverLabel', { name: server?.name ?? t('footer.noneSpoken'), details })}
        title={t('footer.serverTitle')}
      >
        <StatusDot tone={healthTone(h)} />
        <span className="server-switch__text">
          <span className="server-switch__name">{server?.name ?? t('footer.noServer')}</span>
          <span className="server-switch__details">{details}</span>
        </span>
        <Icon name="server" size={15} />
      </button>
      <div className="sidebar__footer-buttons">
        <button type="button" className="icon-btn" aria-label={t('footer.models')} title={t('footer.modelsTitle')} onClick={() => openDialog('models')}>
          <Icon name="chip" size={17} />
        </button>
        <button type="button" className="icon-btn" aria-label={t('footer.settings')} title={t('footer.settingsTitle')} onClick={() => openDialog('settings')}>
          <Icon name="settings" size={17} />
        </button>
        <button type="button" className="icon-btn" aria-label={t('footer.help')} title={t('footer.helpTitle')} onClick={() => openDialog('help')}>
          <Icon name="help" size={17} />
        </button>
      </div>
    </div>
  );
}
