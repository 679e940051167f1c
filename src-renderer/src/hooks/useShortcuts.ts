// The global key handler: maps key presses to app actions via lib/shortcuts.
import { useEffect } from 'react';
import { matchShortcut } from '../lib/shortcuts';
import { useChat } from '../stores/chat';
import { useConversations } from '../stores/conversations';
import { useUi } from '../stores/ui';

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
}

export function useShortcuts(enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const action = matchShortcut(e, typingIn(e.target));
      if (!action) return;
      const ui = useUi.getState();
      const conv = useConversations.getState();
      const chat = useChat.getState();
      const dialogOpen = ui.dialog !== 'none';
      if (dialogOpen) {
        if (action.kind === 'stop') ui.closeDialog();
        else if (action.kind === 'help') ui.openDialog(ui.dialog === 'help' ? 'none' : 'help');
        else return;
        e.preventDefault();
        return;
      }
      const activeId = conv.activeId;
      switch (action.kind) {
        case 'stop':
          if (!activeId || !chat.inFlight[activeId]) return;
          void chat.stop(activeId);
          break;
        case 'new-chat':
          void conv.create();
          break;
        case 'search':
          ui.focusSearch();
          break;
        case 'regenerate': {
          const last = conv.active?.messages.at(-1);
          if (activeId && last?.role === 'assistant' && !chat.inFlight[activeId]) void chat.regenerate(activeId);
          break;
        }
        case 'previous-conversation':
        case 'next-conversation': {
          const list = conv.summaries;
          if (list.length === 0) return;
          const i = list.findIndex((c) => c.id === activeId);
          const next = action.kind === 'next-conversation' ? Math.min(list.length - 1, i + 1) : Math.max(0, i - 1);
          if (list[next]) void conv.open(list[next].id);
          break;
        }
        case 'go-to': {
          const c = conv.summaries[action.index];
          if (c) void conv.open(c.id);
          break;
        }
        case 'help':
          ui.openDialog('help');
          break;
        case 'settings':
          ui.openDialog('settings');
          break;
        case 'servers':
          ui.openDialog('servers');
          break;
        case 'focus-composer':
          ui.focusComposer();
          break;
      }
      e.preventDefault();
      e.stopPropagation();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
