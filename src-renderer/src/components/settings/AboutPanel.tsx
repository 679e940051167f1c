// Which version runs on which platform, and what protects the key of the stored conversations.
import { useApp } from '../../stores/app';
import { Panel } from '../ui/Panel';

export function AboutPanel() {
  const info = useApp((s) => s.info);
  if (!info) return null;
  const where = info.secretStorage === 'os' ? 'the system keychain' : 'a passphrase you chose';
  return (
    <Panel title="About">
      <p className="hint">
        token.place Desktop {info.version} on {info.platform}. Conversations are stored encrypted on this computer; the key
        is protected by {where}.
      </p>
    </Panel>
  );
}
