// The sidebar's footer: the active server and its health (opens Servers), Models, Settings and Help.
import { healthSummary, healthTone } from '../../lib/status';
import { activeServer, useServers } from '../../stores/servers';
import { useUi } from '../../stores/ui';
import { Icon } from '../ui/Icon';
import { StatusDot } from '../ui/StatusDot';

export function SidebarFooter() {
  const list = useServers((s) => s.list);
  const openDialog = useUi((s) => s.openDialog);
  const server = activeServer(list);
  const h = server?.health;
  const details = h ? healthSummary(h) : 'not connected';
  return (
    <div className="sidebar__footer">
      <button
        type="button"
        className="server-switch"
        onClick={() => openDialog('servers')}
        aria-label={`Server: ${server?.name ?? 'none'}, ${details}. Open servers.`}
        title="Servers and this computer’s node (Ctrl+Shift+S)"
      >
        <StatusDot tone={healthTone(h)} />
        <span className="server-switch__text">
          <span className="server-switch__name">{server?.name ?? 'No server'}</span>
          <span className="server-switch__details">{details}</span>
        </span>
        <Icon name="server" size={15} />
      </button>
      <div className="sidebar__footer-buttons">
        <button type="button" className="icon-btn" aria-label="Models" title="Models for the built-in engine" onClick={() => openDialog('models')}>
          <Icon name="chip" size={17} />
        </button>
        <button type="button" className="icon-btn" aria-label="Settings" title="Settings (Ctrl+,)" onClick={() => openDialog('settings')}>
          <Icon name="settings" size={17} />
        </button>
        <button type="button" className="icon-btn" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (Ctrl+/)" onClick={() => openDialog('help')}>
          <Icon name="help" size={17} />
        </button>
      </div>
    </div>
  );
}
