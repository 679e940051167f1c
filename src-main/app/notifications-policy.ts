// Whether a chat event deserves an OS notification, and what it says. Opt-in with the
// `notifyOnAnswer` setting; main shows it (notifications.ts), the page never may (its
// notification permission stays denied: web-contents-guard.ts).
import { fillIn, type DesktopWords } from '../../src-shared/i18n/desktop-words';
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
 * In the user's language (`words`), dates in `locale`.
 */
export function answerNotificationText(chatCreatedAt: number | undefined, now: number, words: DesktopWords, locale?: string): NotificationText {
  const title = words['notify.title'];
  if (chatCreatedAt === undefined) return { title, body: words['notify.someChat'] };
  const started = new Date(chatCreatedAt);
  const time = started.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  if (started.toDateString() === new Date(now).toDateString()) return { title, body: fillIn(words, 'notify.today', { time }) };
  const date = started.toLocaleDateString(locale, { day: 'numeric', month: 'short' });
  return { title, body: fillIn(words, 'notify.onDay', { date, time }) };
}
