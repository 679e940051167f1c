// The conversation's messages, virtualised: only the rows near the viewport exist in the DOM, so a
// conversation with 10 000 messages opens and scrolls as fast as a short one.
import { useTranslation } from 'react-i18next';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Conversation, Message } from '../../../../src-shared/ipc/contract';
import type { InFlight } from '../../stores/chat';
import { MessageItem } from './MessageItem';

export interface MessageListProps {
  conversationId: string;
  messages: Message[];
  flight?: InFlight;
  revealId?: string;
  revealSeq?: number;
  onEdit(messageId: string, content: string): Promise<boolean>;
  onRegenerate(): void;
  onRetry(): void;
  /** Organise: the versions of the messages shown, and the actions that switch versions and delete one message. */
  versions?: Conversation['versions'];
  onShowVersion?(messageId: string): void;
  onDelete?(messageId: string): void;
  /** Rect used before the first layout (tests have no layout engine). */
  initialRect?: { width: number; height: number };
}

const NEAR_BOTTOM_PX = 120;
const ESTIMATED_ROW_PX = 110;
const LINE_PX = 24;
const CHARS_PER_LINE = 90;

/** A rough height from the text, so scrolling far jumps less when rows get measured. */
export function estimateRowHeight(m: Message | undefined): number {
  if (!m) return ESTIMATED_ROW_PX;
  let lines = 0;
  for (const line of m.content.split('\n')) lines += Math.max(1, Math.ceil(line.length / CHARS_PER_LINE));
  const fences = (m.content.match(/^```/gm)?.length ?? 0) / 2;
  const chrome = m.role === 'user' ? 54 : 72 + (m.meta ? 24 : 0);
  return Math.round(chrome + lines * LINE_PX + fences * 70);
}

export function MessageList(props: MessageListProps) {
  const { messages, flight, conversationId } = props;
  const { t } = useTranslation('chat');
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const [highlight, setHighlight] = useState<string | undefined>();

  // The virtualiser's functions change identity on purpose; this component is not compiler-memoised.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: messages.length,
    getScrollElement: () => scroller.current,
    estimateSize: (i) => estimateRowHeight(messages[i]),
    // A rendered row is never 0 px tall; 0 means "no layout yet" (e.g. a test DOM), so keep the estimate.
    measureElement: (el) => el.getBoundingClientRect().height || ESTIMATED_ROW_PX,
    overscan: 6,
    getItemKey: (i) => messages[i]?.id ?? i,
    initialRect: props.initialRect ?? { width: 800, height: 800 },
  });

  const toEnd = useCallback(() => {
    if (messages.length > 0) virtualizer.scrollToIndex(messages.length - 1, { align: 'end' });
  }, [messages.length, virtualizer]);

  // A different conversation opens at its end.
  useLayoutEffect(() => {
    stick.current = true;
    toEnd();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [conversationId]);

  // New messages and growing answers (streamed text, §11.7) keep the view at the end if the reader
  // was there; a reader who scrolled up stays where they are.
  const last = messages.at(-1);
  useEffect(() => {
    if (stick.current) toEnd();
  }, [messages.length, last?.id, last?.status, last?.content, flight?.phase, flight?.text, toEnd]);

  // A search result asks for one message: scroll to it and mark it for a moment. A message in a
  // branch not shown is shown first (Organise); the effect runs again once it is on the path.
  const revealIndex = props.revealId ? messages.findIndex((m) => m.id === props.revealId) : -1;
  useEffect(() => {
    if (!props.revealId) return;
    const index = messages.findIndex((m) => m.id === props.revealId);
    if (index < 0) {
      props.onShowVersion?.(props.revealId);
      return;
    }
    stick.current = false;
    virtualizer.scrollToIndex(index, { align: 'center' });
    setHighlight(props.revealId);
    const t = setTimeout(() => setHighlight(undefined), 2500);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.revealId, props.revealSeq, revealIndex >= 0]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
  };

  // Only an answer that is the conversation's last message can be regenerated or retried.
  const lastAnswerIndex = last?.role === 'assistant' ? messages.length - 1 : -1;
  const busy = Boolean(flight);
  const items = virtualizer.getVirtualItems();

  return (
    <div
      className="message-list"
      ref={scroller}
      onScroll={onScroll}
      tabIndex={0}
      role="region"
      aria-label={t('list.label', { count: messages.length })}
      data-testid="message-list"
    >
      <div className="message-list__inner" style={{ height: virtualizer.getTotalSize() }}>
        <div className="message-list__window" style={{ transform: `translateY(${items[0]?.start ?? 0}px)` }}>
          {items.map((item) => {
            const m = messages[item.index]!;
            return (
              <div key={item.key} data-index={item.index} ref={virtualizer.measureElement} className="message-list__row">
                <MessageItem
                  message={m}
                  flight={m.status === 'pending' && flight && (!flight.answerId || flight.answerId === m.id) ? flight : undefined}
                  isLastAnswer={item.index === lastAnswerIndex}
                  busy={busy}
                  highlighted={highlight === m.id}
                  onEdit={props.onEdit}
                  onRegenerate={props.onRegenerate}
                  onRetry={props.onRetry}
                  versions={props.versions?.[m.id]}
                  hasLater={item.index < messages.length - 1}
                  onShowVersion={props.onShowVersion}
                  onDelete={props.onDelete}
                />
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
