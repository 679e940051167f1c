// The numbers under an answer (§11): when its first text arrived, how fast it was written, how
// many tokens it has and why it ended — in words, never a provider's raw code alone.
import type { AnswerMeta } from '../../../src-shared/ipc/contract';
import type { AnswerDelivery } from '../../../src-shared/vocabulary';
import { plural } from './text';

export interface AnswerStat {
  /** What the fact reads, e.g. "first text 420 ms". */
  text: string;
  /** Its longer explanation (tooltip and screen readers). */
  title: string;
}

/** Why a model stops, in OpenAI's vocabulary (§2.3.2); other reasons are named as given. */
const FINISH_WORDS: Readonly<Record<string, string>> = {
  stop: 'finished',
  length: 'stopped at the output limit',
  content_filter: 'stopped by the provider’s content filter',
  tool_calls: 'stopped to call a tool',
  error: 'ended by an error',
};

export const DELIVERY_WORDS: Record<AnswerDelivery, string> = {
  chunks: 'streamed',
  snapshots: 'streamed in snapshots',
  whole: 'arrived whole',
};

/** "420 ms", "1.3 s", "12 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

export function finishWords(reason: string): string {
  return Object.hasOwn(FINISH_WORDS, reason) ? FINISH_WORDS[reason]! : `finished (${reason})`;
}

/** Writing time shorter than this gives no honest rate. */
const MIN_RATE_WINDOW_MS = 100;

export function answerStats(meta: AnswerMeta): AnswerStat[] {
  const stats: AnswerStat[] = [];
  const delivery = meta.delivery;
  if (meta.firstTextMs !== undefined) {
    stats.push({
      text: `first text ${formatDuration(meta.firstTextMs)}`,
      title: `Time from sending to the first text of the answer${delivery ? ` (${DELIVERY_WORDS[delivery]})` : ''}`,
    });
  }
  const tokens = meta.usage?.completionTokens;
  if (tokens !== undefined && tokens > 0) {
    stats.push({ text: plural(tokens, 'token'), title: 'Tokens the model wrote for this answer' });
    const streamed = delivery !== undefined && delivery !== 'whole' && meta.firstTextMs !== undefined;
    const window = streamed ? meta.elapsedMs - meta.firstTextMs! : meta.elapsedMs;
    if (window >= MIN_RATE_WINDOW_MS) {
      const rate = tokens / (window / 1000);
      stats.push({
        text: `${rate >= 10 ? Math.round(rate) : rate.toFixed(1)} tokens/s`,
        title: streamed ? 'Tokens per second while the answer was written' : 'Tokens per second over the whole wait (this answer arrived whole)',
      });
    }
  }
  if (meta.finishReason) stats.push({ text: finishWords(meta.finishReason), title: 'Why the answer ended' });
  return stats;
}
