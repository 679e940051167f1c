// The search box: searches all history as you type (debounced); Esc clears, Down enters the list.
import { useTranslation } from 'react-i18next';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useConversations } from '../../stores/conversations';
import { useUi } from '../../stores/ui';
import { Icon } from '../ui/Icon';
import { focusFirstInList } from './list-keys';

const SEARCH_AFTER_MS = 180;

export function SearchBox() {
  const { t } = useTranslation('sidebar');
  const search = useConversations((s) => s.search);
  const query = useConversations((s) => s.query);
  const focusSeq = useUi((s) => s.focusSearchSeq);
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(query);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    if (focusSeq > 0) {
      input.current?.focus();
      input.current?.select();
    }
  }, [focusSeq]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const change = (value: string) => {
    setText(value);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void search(value), SEARCH_AFTER_MS);
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Escape' && text) {
      e.preventDefault();
      e.stopPropagation();
      change('');
      void search('');
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      focusFirstInList();
    }
  };

  return (
    <div className="search" role="search">
      <Icon name="search" size={15} />
      <label htmlFor="search-input" className="visually-hidden">
        {t('search.label')}
      </label>
      <input id="search-input" ref={input} type="search" placeholder={t('search.placeholder')} value={text} onChange={(e) => change(e.target.value)} onKeyDown={onKey} autoComplete="off" />
    </div>
  );
}
