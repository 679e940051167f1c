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
