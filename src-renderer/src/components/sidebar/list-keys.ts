// Keyboard moves inside the sidebar's list (conversations or search results).
import type { KeyboardEvent } from 'react';

const LIST_BUTTONS = '.sidebar__list .conv-item__main';

/** Up/Down move between the list's main buttons. */
export function listArrows(e: KeyboardEvent<HTMLElement>): void {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  const all = [...document.querySelectorAll<HTMLElement>(LIST_BUTTONS)];
  const i = all.indexOf(e.currentTarget);
  const next = all[i + (e.key === 'ArrowDown' ? 1 : -1)];
  if (next) {
    e.preventDefault();
    next.focus();
  }
}

/** From the search box, Down enters the list (its first button). */
export function focusFirstInList(): void {
  document.querySelector<HTMLElement>('.sidebar__list button, .search-results button')?.focus();
}

/** On a list item's main button (a chat, a folder): F2 renames it, Delete deletes it, Up/Down move. */
export function itemKeys(e: KeyboardEvent<HTMLElement>, item: { rename(): void; remove(): void }): void {
  if (e.key === 'F2') item.rename();
  else if (e.key === 'Delete') item.remove();
  else listArrows(e);
}
