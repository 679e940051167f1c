// The numbers under an answer (§11): when its first text arrived, how fast it was written, how
// many tokens it has and why it ended — in words, never a provider's raw code alone.
import type { AnswerMeta } from '../../../src-shared/ipc/contract';
import type { AnswerDelivery } from '../../../src-shared/vocabulary';
import { i18n } from '../i18n';

export interface AnswerStat {
  /** What the fact reads, e.g. "first text 420 ms". */
  text: string;
  /** Its longer explanation (tooltip and screen readers). */
  title: string;
}

/** Why a model stops, in OpenAI's vocabulary (§2.3.2); other reasons are named as given. */
const FINISH_WORDS: Readonly<Record<string, string>> = {
  stop: 'chat:finish.stop',
  length: 'chat:finish.length',
  content_filter: 'chat:finish.content_filter',
  tool_calls: 'chat:finish.tool_calls',
  error: 'chat:finish.error',
};

/** How the answer's text arrived (i18n keys). */
const DELIVERY_WORDS: Record<AnswerDelivery, string> = {
  chunks: 'chat:delivery.chunks',
  snapshots: 'chat:delivery.snapshots',
  whole: 'chat:delivery.whole',
};

/** "420 ms", "1.3 s", "12 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return i18n.t('chat:duration.ms', { value: Math.round(ms) });
  return i18n.t('chat:duration.s', { value: ms < 10_000 ? (ms / 1000).toFixed(1) : Math.round(ms / 1000) });
}

export function finishWords(reason: string): string {
  return Object.hasOwn(FINISH_WORDS, reason) ? i18n.t(FINISH_WORDS[reason]!) : i18n.t('chat:finish.other', { reason });
}

/** Writing time shorter than this gives no honest rate. */
const MIN_RATE_WINDOW_MS = 100;

export function answerStats(meta: AnswerMeta): AnswerStat[] {
  const stats: AnswerStat[] = [];
  const delivery = meta.delivery;
  if (meta.firstTextMs !== undefined) {
    stats.push({
      text: i18n.t('chat:stats.firstText', { duration: formatDuration(meta.firstTextMs) }),
      title: delivery ? i18n.t('chat:stats.firstTextTitleHow', { how: i18n.t(DELIVERY_WORDS[delivery]) }) : i18n.t('chat:stats.firstTextTitle'),
    });
  }
  const tokens = meta.usage?.completionTokens;
  if (tokens !== undefined && tokens > 0) {
    stats.push({ text: i18n.t('chat:tokens', { count: tokens }), title: i18n.t('chat:stats.tokensTitle') });
    const streamed = delivery !== undefined && delivery !== 'whole' && meta.firstTextMs !== undefined;
    const window = streamed ? meta.elapsedMs - meta.firstTextMs! : meta.elapsedMs;
    if (window >= MIN_RATE_WINDOW_MS) {
      const rate = tokens / (window / 1000);
      stats.push({
        text: i18n.t('chat:stats.rate', { rate: rate >= 10 ? Math.round(rate) : rate.toFixed(1) }),
        title: i18n.t(streamed ? 'chat:stats.rateTitleStreamed' : 'chat:stats.rateTitleWhole'),
      });
    }
  }
  if (meta.finishReason) stats.push({ text: finishWords(meta.finishReason), title: i18n.t('chat:stats.finishTitle') });
  return stats;
}
