// Electron glue for answer notifications (opt-in, setting `notifyOnAnswer`): main shows them with
// Electron's Notification — the page has no notification permission (web-contents-guard.ts) —
// and a click brings the window back with that chat open. notifications-policy.ts decides
// whether to notify and what it says.
import type { Notification, NotificationConstructorOptions } from 'electron';
import type { DesktopWords } from '../../src-shared/i18n/desktop-words';
import type { ChatEvent } from '../../src-shared/ipc/contract';
import { answerNotificationText, answerToNotify } from './notifications-policy';

export interface AnswerNotifierDeps {
  Notification: (new (options: NotificationConstructorOptions) => Notification) & { isSupported(): boolean };
  enabled(): boolean;
  windowFocused(): boolean;
  /** When the conversation was started (what the notification names it by), if it still exists. */
  chatCreatedAt(conversationId: string): Promise<number | undefined>;
  openConversation(conversationId: string): void;
  /** The user's language now: its words, and the locale its dates and times are written in. */
  language(): { words: DesktopWords; locale: string };
  now?: () => number;
}

export class AnswerNotifier {
  /** Shown notifications stay referenced until closed or clicked: a collected one loses its click. */
  private readonly shown = new Set<Notification>();

  constructor(private readonly deps: AnswerNotifierDeps) {}

  async onChatEvent(event: ChatEvent): Promise<void> {
    const conversationId = answerToNotify(event, {
      notifyOnAnswer: this.deps.enabled(),
      windowFocused: this.deps.windowFocused(),
      supported: this.deps.Notification.isSupported(),
    });
    if (conversationId === undefined) return;
    const createdAt = await this.deps.chatCreatedAt(conversationId).catch(() => undefined);
    const { words, locale } = this.deps.language();
    const notification = new this.deps.Notification(answerNotificationText(createdAt, (this.deps.now ?? Date.now)(), words, locale));
    this.shown.add(notification);
    const forget = () => this.shown.delete(notification);
    notification.on('click', () => {
      forget();
      this.deps.openConversation(conversationId);
    });
    notification.on('close', forget);
    notification.show();
  }

  close(): void {
    for (const n of this.shown) n.close();
    this.shown.clear();
  }
}
