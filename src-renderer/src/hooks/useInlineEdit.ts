import { useEffect, useRef, useState } from 'react';

/**
 * Editing a text in place (a message, a conversation's name): whether the field is open, its
 * draft, and a ref for the field, which gets the focus (or its text selected) when it opens.
 * `begin()` opens it with the current `original`; `cancel()` closes it and drops the draft;
 * `close()` closes it after a save.
 */
export function useInlineEdit<E extends HTMLInputElement | HTMLTextAreaElement>(original: string, onOpen: 'focus' | 'select') {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(original);
  const field = useRef<E>(null);
  useEffect(() => {
    if (!editing) return;
    if (onOpen === 'select') field.current?.select();
    else field.current?.focus();
  }, [editing, onOpen]);

  return {
    editing,
    draft,
    setDraft,
    field,
    begin: () => (setDraft(original), setEditing(true)),
    cancel: () => (setEditing(false), setDraft(original)),
    close: () => setEditing(false),
  };
}

/**
 * Renaming in place (a chat, a folder): useInlineEdit on an input, opened with the name selected,
 * and `finish(save)` for its NameField — a save of a name that, trimmed, is neither empty nor the
 * current one closes the field and hands the trimmed name to `rename`; anything else cancels.
 */
export function useInlineRename(name: string, rename: (name: string) => Promise<void>) {
  const { editing, draft, setDraft, field, begin, cancel, close } = useInlineEdit<HTMLInputElement>(name, 'select');
  const finish = (save: boolean) => {
    const next = draft.trim();
    if (!save || !next || next === name) return cancel();
    close();
    void rename(next);
  };
  return { editing, draft, setDraft, field, begin, finish };
}
