// Find in the open conversation (Ctrl/Cmd+F): the query, every match in the stored messages (so
// "n of m" counts rows a virtualised list has not rendered), the current one, and moving between
// them. The current match's message is scrolled to (the list's reveal, as search results do),
// then the match itself into view; rendered matches are highlighted (lib/find-highlights).
import { useDeferredValue, useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { Message } from '../../../src-shared/ipc/contract';
import { findMatches } from '../lib/find-matches';
import { clearMatches, paintMatches } from '../lib/find-highlights';
import { isMac } from '../lib/shortcuts';
import { useUi } from '../stores/ui';

export function isFindKey(e: KeyboardEvent, mac = isMac()): boolean {
  return (mac ? e.metaKey : e.ctrlKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'f';
}

/** The message list of the conversation the find bar belongs to. */
function messageListOf(bar: HTMLElement | null): HTMLElement | null {
  return bar?.closest('.conversation')?.querySelector<HTMLElement>('.message-list') ?? null;
}

export function useFindInConversation(conversationId: string, messages: readonly Message[], field: RefObject<HTMLInputElement | null>, bar: RefObject<HTMLElement | null>) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const searched = useDeferredValue(query);
  const matches = useMemo(() => (open ? findMatches(messages, searched) : []), [open, messages, searched]);
  const at = matches.length === 0 ? -1 : Math.min(index, matches.length - 1);
  const current = at >= 0 ? matches[at] : undefined;
  const scrolledTo = useRef('');

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || !isFindKey(e) || useUi.getState().dialog !== 'none') return;
      e.preventDefault();
      setOpen(true);
      requestAnimationFrame(() => {
        field.current?.focus();
        field.current?.select();
      });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [field]);

  // The current match's message is brought into the list if its row is not rendered.
  useEffect(() => {
    if (!current) return;
    const el = messageListOf(bar.current);
    const rendered = [...(el?.querySelectorAll<HTMLElement>('[data-message-id]') ?? [])].some((row) => row.dataset.messageId === current.messageId);
    if (!rendered) useUi.getState().revealMessage(conversationId, current.messageId);
  }, [current, conversationId, bar]);

  // Paint now and whenever rows are rendered anew; scroll the current match into view once.
  useLayoutEffect(() => {
    const el = messageListOf(bar.current);
    if (!open || !el || !searched.trim()) {
      clearMatches();
      return;
    }
    const key = current ? `${searched}\u0000${current.messageId}\u0000${current.occurrence}` : '';
    const paint = () => {
      const range = paintMatches(el, searched, current);
      if (range && key && scrolledTo.current !== key) {
        scrolledTo.current = key;
        range.startContainer.parentElement?.scrollIntoView?.({ block: 'center' });
      }
    };
    paint();
    let frame = 0;
    const observer = new MutationObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(paint);
    });
    observer.observe(el, { childList: true, subtree: true, characterData: true });
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
    };
  }, [open, searched, current, bar]);

  useEffect(() => () => clearMatches(), []);

  const step = (by: 1 | -1) => {
    if (matches.length === 0) return;
    setIndex((at + by + matches.length) % matches.length);
  };
  const close = () => {
    setOpen(false);
    setQuery('');
    scrolledTo.current = '';
    clearMatches();
    useUi.getState().focusComposer();
  };

  // A new query starts again at its first match.
  const changeQuery = (next: string) => {
    setQuery(next);
    setIndex(0);
  };

  return { open, query, setQuery: changeQuery, total: matches.length, position: at + 1, pending: searched !== query, next: () => step(1), previous: () => step(-1), close };
}
