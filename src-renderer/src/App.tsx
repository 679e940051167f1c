// The app shell: boots against window.tokenplace, then shows sidebar + conversation + dialogs.
import { ConversationView } from './components/conversation/ConversationView';
import { HelpDialog } from './components/help/HelpDialog';
import { Icon } from './components/ui/Icon';
import { LiveRegion } from './components/shell/LiveRegion';
import { LockScreen } from './components/shell/LockScreen';
import { ProviderSetup } from './components/node/ProviderSetup';
import { ServersDialog } from './components/servers/ServersDialog';
import { SettingsDialog } from './components/settings/SettingsDialog';
import { Sidebar } from './components/sidebar/Sidebar';
import { SystemPromptDialog } from './components/conversation/SystemPromptDialog';
import { Toasts } from './components/shell/Toasts';
import { useBoot } from './hooks/useBoot';
import { useShortcuts } from './hooks/useShortcuts';
import { useTheme } from './hooks/useTheme';
import type { BootOptions } from './lib/boot';
import { useConversations } from './stores/conversations';
import { useSettings } from './stores/settings';
import { useUi } from './stores/ui';

export function App({ bootOptions }: { bootOptions?: BootOptions }) {
  const settings = useSettings((s) => s.settings);
  useTheme(settings);
  const { result, retry } = useBoot(bootOptions);
  useShortcuts(result?.state === 'ready');

  if (!result) {
    return (
      <main className="center-screen" aria-busy="true">
        <p className="hint">Opening token.place…</p>
      </main>
    );
  }
  if (result.state === 'locked') return <LockScreen onUnlocked={retry} />;
  if (result.state === 'failed') {
    return (
      <main className="center-screen">
        <div className="card" role="alert">
          <h1>token.place could not start</h1>
          <p>{result.message}</p>
          <button type="button" className="btn btn--primary" onClick={retry}>
            Try again
          </button>
        </div>
      </main>
    );
  }
  return <Workspace />;
}

function Workspace() {
  const active = useConversations((s) => s.active);
  const activeId = useConversations((s) => s.activeId);
  const loaded = useConversations((s) => s.loaded);
  const dialog = useUi((s) => s.dialog);
  const close = useUi((s) => s.closeDialog);
  return (
    <div className="app">
      <a href="#composer-input" className="skip-link">
        Skip to the message box
      </a>
      <Sidebar />
      <main className="main" aria-label="Chat">
        {active && active.id === activeId ? <ConversationView key={active.id} conversation={active} /> : loaded && !activeId ? <Welcome /> : <div className="main__loading" aria-busy="true" />}
      </main>
      {dialog === 'settings' && <SettingsDialog onClose={close} />}
      {dialog === 'servers' && <ServersDialog onClose={close} />}
      {dialog === 'help' && <HelpDialog onClose={close} />}
      {dialog === 'system-prompt' && <SystemPromptDialog onClose={close} />}
      {dialog === 'provider' && <ProviderSetup onClose={close} />}
      <Toasts />
      <LiveRegion />
    </div>
  );
}

function Welcome() {
  const create = useConversations((s) => s.create);
  return (
    <div className="welcome">
      <div className="empty-conversation__badge" aria-hidden="true">
        <Icon name="lock" size={24} />
      </div>
      <h1>Private chat with open models</h1>
      <p>
        Messages are encrypted on this computer for the one node that answers. Relays pass them along without being able
        to read them.
      </p>
      <button type="button" className="btn btn--primary" onClick={() => void create()}>
        <Icon name="plus" size={15} /> Start a new chat
      </button>
      <p className="hint">
        Press <kbd>Ctrl</kbd>+<kbd>/</kbd> for keyboard shortcuts.
      </p>
    </div>
  );
}
