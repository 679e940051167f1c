// The find bar of the open conversation (Ctrl/Cmd+F): a field, "n of m" (announced), previous
// and next (Shift+Enter, Enter), Escape closes. Matches are highlighted in the messages.
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../../../src-shared/ipc/contract';
import { useFindInConversation } from '../../hooks/useFindInConversation';
import { MAX_FIND_QUERY } from '../../lib/find-matches';
import { Icon } from '../ui/Icon';
import '../../styles/find.css';

export function FindBar({ conversationId, messages }: { conversationId: string; messages: readonly Message[] }) {
  const { t } = useTranslation('workspace');
  const field = useRef<HTMLInputElement>(null);
  const bar = useRef<HTMLDivElement>(null);
  const find = useFindInConversation(conversationId, messages, field, bar);
  const status = !find.query.trim() || find.pending ? '' : find.total === 0 ? t('find.none') : t('find.count', { current: find.position, total: find.total });

  return (
    <div ref={bar} className="find-bar" role="search" aria-label={t('find.label')} hidden={!find.open}>
      {find.open && (
        <>
          <Icon name="search" size={15} />
          <input
            ref={field}
            type="search"
            className="find-bar__field"
            aria-label={t('find.field')}
            placeholder={t('find.placeholder')}
            value={find.query}
            maxLength={MAX_FIND_QUERY}
            autoComplete="off"
            onChange={(e) => find.setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                if (e.shiftKey) find.previous();
                else find.next();
              } else if (e.key === 'Escape') {
                e.preventDefault();
                e.stopPropagation();
                find.close();
              }
            }}
          />
          <span className="find-bar__count" role="status" aria-live="polite">
            {status}
          </span>
          <button type="button" className="icon-btn" aria-label={t('find.previous')} title={t('find.previous')} disabled={find.total === 0} onClick={find.previous}>
            <Icon name="chevronUp" size={15} />
          </button>
          <button type="button" className="icon-btn" aria-label={t('find.next')} title={t('find.next')} disabled={find.total === 0} onClick={find.next}>
            <Icon name="chevronDown" size={15} />
          </button>
          <button type="button" className="icon-btn" aria-label={t('find.close')} title={t('find.close')} onClick={find.close}>
            <Icon name="close" size={15} />
          </button>
        </>
      )}
    </div>
  );
}
