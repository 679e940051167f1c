// Whether a chat event deserves an OS notification, and what it says. Opt-in with the
// `notifyOnAnswer` setting; main shows it (notifications.ts), the page never may (its
// notification permission stays denied: web-contents-guard.ts).
import type { ChatEvent } from '../../src-shared/ipc/contract';

export interface NotifyContext {
  notifyOnAnswer: boolean;
  /** The main window exists, is shown and has the focus: the user sees the answer arrive. */
  windowFocused: boolean;
  /** Notification.isSupported() on this OS. */
  supported: boolean;
}

/** The conversation whose answer just completed, when the user should be told; else undefined. */
export function answerToNotify(event: ChatEvent, context: NotifyContext): string | undefined {
  if (!context.notifyOnAnswer || !context.supported || context.windowFocused) return undefined;
  // Only a finished answer: an error or a stop is the user's own doing or shown when they look.
  return event.type === 'answer' ? event.conversationId : undefined;
}

export interface NotificationText {
  title: string;
  body: string;
}

/**
 * The notification says which chat finished by when it was started, never by what was said: not
 * the answer, and not the chat's title either, which is made from the first prompt
 * (backend/chat.ts titleFrom). The OS keeps notifications in its own history, unencrypted,
 * outside the encrypted conversation store that is the only home of prompts and answers.
 */
export function answerNotificationText(chatCreatedAt: number | undefined, now: number, locale?: string): NotificationText {
  const title = 'Answer ready';
  if (chatCreatedAt === undefined) return { title, body: 'A chat has a new answer. Click to open it.' };
  const started = new Date(chatCreatedAt);
  const time = started.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  const sameDay = started.toDateString() === new Date(now).toDateString();
  const when = sameDay ? `today at ${time}` : `on ${started.toLocaleDateString(locale, { day: 'numeric', month: 'short' })} at ${time}`;
  return { title, body: `The chat you started ${when} has a new answer. Click to open it.` };
}
