// The composer's text as the conversation's draft: it follows the open conversation, survives
// switching chats and a restart (saved encrypted by main, see stores/workspace), and is cleared
// by setting it to '' when the message is sent.
import { useCallback } from 'react';
import { useWorkspace } from '../stores/workspace';

export function useDraft(conversationId: string): [string, (text: string) => void] {
  const text = useWorkspace((s) => s.drafts[conversationId] ?? '');
  const setDraft = useWorkspace((s) => s.setDraft);
  const setText = useCallback((next: string) => setDraft(conversationId, next), [setDraft, conversationId]);
  return [text, setText];
}
