// Live on the desktop: answer notifications and the tray icon, both off until switched on. The
// main process shows both (the page itself has no notification permission).
import { useSettings } from '../../stores/settings';
import { Panel } from '../ui/Panel';
import { Switch } from '../ui/Switch';

export function DesktopPanel() {
  const settings = useSettings((s) => s.settings);
  const update = useSettings((s) => s.update);
  return (
    <Panel title="On the desktop">
      <div className="setting-row">
        <div>
          <p className="setting-row__label">Notify me when an answer is ready</p>
          <p className="hint">While the window is in the background. The notification names the chat by when you started it, never by what was said.</p>
        </div>
        <Switch label="Notify me when an answer is ready" checked={settings.notifyOnAnswer === true} onChange={(v) => void update({ notifyOnAnswer: v })} />
      </div>
      <div className="setting-row">
        <div>
          <p className="setting-row__label">Keep serving in the tray</p>
          <p className="hint">Shows a tray icon. Closing the window then hides it, and this computer’s node keeps serving until you choose Quit.</p>
        </div>
        <Switch label="Keep serving in the tray" checked={settings.trayEnabled === true} onChange={(v) => void update({ trayEnabled: v })} />
      </div>
    </Panel>
  );
}
