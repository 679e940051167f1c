// Keyboard shortcuts: one table drives both the key handler and the help list.
import { i18n } from '../i18n';

export type ShortcutAction =
  | { kind: 'new-chat' }
  | { kind: 'search' }
  | { kind: 'stop' }
  | { kind: 'regenerate' }
  | { kind: 'previous-conversation' }
  | { kind: 'next-conversation' }
  | { kind: 'go-to'; index: number }
  | { kind: 'help' }
  | { kind: 'settings' }
  | { kind: 'servers' }
  | { kind: 'focus-composer' };

export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

export function isMac(): boolean {
  return typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
}

/** What a key press means, or undefined. `inText` is true while typing in a field. */
export function matchShortcut(e: KeyLike, inText: boolean, mac = isMac()): ShortcutAction | undefined {
  const mod = mac ? e.metaKey : e.ctrlKey;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (e.key === 'Escape' && !e.ctrlKey && !e.metaKey && !e.altKey) return { kind: 'stop' };
  if (e.key === 'F1') return { kind: 'help' };
  if (e.ctrlKey && e.altKey && !e.metaKey) {
    if (e.key === 'ArrowUp') return { kind: 'previous-conversation' };
    if (e.key === 'ArrowDown') return { kind: 'next-conversation' };
  }
  if (e.ctrlKey && e.shiftKey && !e.altKey && key === 'r') return { kind: 'regenerate' };
  if (mod && !e.altKey) {
    if (!e.shiftKey && key === 'n') return { kind: 'new-chat' };
    if (!e.shiftKey && key === 'k') return { kind: 'search' };
    if (!e.shiftKey && key === 'r') return { kind: 'regenerate' };
    if (key === '/' || key === '?') return { kind: 'help' };
    if (!e.shiftKey && key === ',') return { kind: 'settings' };
    if (e.shiftKey && key === 's') return { kind: 'servers' };
    if (!e.shiftKey && key === 'l') return { kind: 'focus-composer' };
    const digit = /^Digit([1-9])$/.exec(e.code ?? '')?.[1] ?? (/^[1-9]$/.test(key) ? key : undefined);
    if (digit && !e.shiftKey) return { kind: 'go-to', index: Number(digit) - 1 };
  }
  if (!inText && !mod && !e.altKey && e.key === '?') return { kind: 'help' };
  return undefined;
}

export function shortcutList(mac = isMac()): { keys: string[]; what: string }[] {
  const m = mac ? '⌘' : 'Ctrl';
  return [
    { keys: [`${m}+N`], what: i18n.t('help:what.newChat') },
    { keys: [`${m}+K`], what: i18n.t('help:what.search') },
    // Handled by the find bar itself (hooks/useFindInConversation), while a conversation is open.
    { keys: [`${m}+F`], what: i18n.t('help:what.find') },
    { keys: ['Enter'], what: i18n.t('help:what.send') },
    { keys: ['Shift+Enter'], what: i18n.t('help:what.newLine') },
    { keys: ['Esc'], what: i18n.t('help:what.stop') },
    { keys: [`${m}+R`, 'Ctrl+Shift+R'], what: i18n.t('help:what.regenerate') },
    { keys: ['Ctrl+Alt+↑', 'Ctrl+Alt+↓'], what: i18n.t('help:what.previousNext') },
    { keys: [`${m}+1 … ${m}+9`], what: i18n.t('help:what.goTo') },
    { keys: [`${m}+L`], what: i18n.t('help:what.focus') },
    { keys: [`${m}+Shift+S`], what: i18n.t('help:what.servers') },
    { keys: [`${m}+,`], what: i18n.t('help:what.settings') },
    { keys: [`${m}+/`, 'F1', '?'], what: i18n.t('help:what.help') },
  ];
}
