// The unlocked app: the sidebar, the open conversation (or the welcome), dialogs, the question
// about a new node key, toasts and the live region.
import { useTranslation } from 'react-i18next';
import { useConversations } from '../../stores/conversations';
import { ConversationView } from '../conversation/ConversationView';
import { TrustPromptDialog } from '../servers/TrustPromptDialog';
import { Sidebar } from '../sidebar/Sidebar';
import { LiveRegion } from './LiveRegion';
import { OpenDialog } from './OpenDialog';
import { Toasts } from './Toasts';
import { Welcome } from './Welcome';

export function Workspace() {
  const { t } = useTranslation('common');
  const active = useConversations((s) => s.active);
  const activeId = useConversations((s) => s.activeId);
  const loaded = useConversations((s) => s.loaded);
  return (
    <div className="app">
      <a href="#composer-input" className="skip-link">
        {t('workspace.skip')}
      </a>
      <Sidebar />
      <main className="main" aria-label={t('workspace.main')}>
        {active && active.id === activeId ? <ConversationView key={active.id} conversation={active} /> : loaded && !activeId ? <Welcome /> : <div className="main__loading" aria-busy="true" />}
      </main>
      <OpenDialog />
      <TrustPromptDialog />
      <Toasts />
      <LiveRegion />
    </div>
  );
}
