// Search results in place of the list: the conversation, the matching snippet; choosing one opens
// it and scrolls to the message.
import { useTranslation } from 'react-i18next';
import type { SearchHit } from '../../../../src-shared/ipc/contract';
import { useConversations } from '../../stores/conversations';
import { useUi } from '../../stores/ui';
import { listArrows } from './list-keys';

export function SearchResults() {
  const { t } = useTranslation('sidebar');
  const hits = useConversations((s) => s.hits);
  const searching = useConversations((s) => s.searching);
  const query = useConversations((s) => s.query);
  const open = useConversations((s) => s.open);
  const reveal = useUi((s) => s.revealMessage);
  const choose = async (hit: SearchHit) => {
    await open(hit.conversationId);
    if (hit.messageId) reveal(hit.conversationId, hit.messageId);
  };
  return (
    <nav className="sidebar__list search-results" aria-label={t('results.label')}>
      <p className="sidebar__caption" role="status">
        {searching ? t('results.searching') : hits.length === 0 ? t('results.none', { query: query.trim() }) : t('results.count', { count: hits.length })}
      </p>
      <ul>
        {hits.map((h, i) => (
          <li key={`${h.conversationId}:${h.messageId ?? 'title'}:${i}`}>
            <button type="button" className="conv-item__main search-hit" onClick={() => void choose(h)} onKeyDown={listArrows}>
              <span className="conv-item__title">{h.conversationTitle}</span>
              <span className="search-hit__snippet">{h.messageId ? h.snippet : t('results.inTitle')}</span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
