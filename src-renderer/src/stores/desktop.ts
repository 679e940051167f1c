// What main asks of the window from outside it (events:window): a click on an answer's
// notification opens that chat (live on the desktop, issue 14).
import { create } from 'zustand';
import type { WindowEvent } from '../../../src-shared/ipc/contract';
import { api } from '../api/api';
import { useConversations } from './conversations';
import { useUi } from './ui';

interface DesktopState {
  listen(): () => void;
  handleEvent(event: WindowEvent): Promise<void>;
}

export const useDesktop = create<DesktopState>()((_set, get) => ({
  listen: () => api().events.window((e) => void get().handleEvent(e)),
  async handleEvent(event) {
    if (event.type !== 'openConversation') return;
    useUi.getState().closeDialog();
    await useConversations.getState().open(event.conversationId);
  },
}));
