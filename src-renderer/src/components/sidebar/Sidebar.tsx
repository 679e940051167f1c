// Conversations sidebar: new chat, search across all history, the chats organised in folders with
// pins and a sort order (OrganisedList: rename, delete with undo, move), and the footer with the
// server switcher, settings and help.
import { useTranslation } from 'react-i18next';
import { useConversations } from '../../stores/conversations';
import { Icon } from '../ui/Icon';
import { OrganisedList } from './OrganisedList';
import { SearchBox } from './SearchBox';
import { SearchResults } from './SearchResults';
import { SidebarFooter } from './SidebarFooter';

export function Sidebar() {
  const { t } = useTranslation('sidebar');
  const empty = useConversations((s) => s.summaries.length === 0);
  const query = useConversations((s) => s.query);
  const create = useConversations((s) => s.create);

  return (
    <aside className="sidebar" aria-label={t('label')}>
      <div className="sidebar__top">
        <div className="brand">
          <span className="brand__mark" aria-hidden="true">
            <Icon name="lock" size={14} />
          </span>
          <span className="brand__name">token.place</span>
        </div>
        <button type="button" className="btn btn--primary btn--block" onClick={() => void create()} title={t('newChatTitle')}>
          <Icon name="plus" size={15} />
          <span>{t('newChat')}</span>
        </button>
        <SearchBox />
      </div>
      {query.trim() ? (
        <SearchResults />
      ) : (
        <nav className="sidebar__list" aria-label={t('list')}>
          {empty ? <p className="sidebar__empty">{t('empty')}</p> : <OrganisedList />}
        </nav>
      )}
      <SidebarFooter />
    </aside>
  );
}
