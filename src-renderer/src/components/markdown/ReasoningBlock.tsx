// An answer's reasoning (docs/protocol.md §2.3.6): a leading <think> block shown as a collapsed
// "Reasoning" disclosure (a native <details>, so Enter and Space open it), "Thinking…" while the
// block is still open in a streaming answer, and the answer's Markdown after it.
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { splitReasoning } from '../../../../src-shared/read/reasoning';
import { Markdown } from './Markdown';
import { StreamingMarkdown } from './StreamingMarkdown';

export function ReasoningBlock({ text, open, streaming }: { text: string; open: boolean; streaming: boolean }) {
  const { t } = useTranslation('read');
  const thinking = open && streaming;
  const summary = thinking ? t('reasoning.thinking') : open ? t('reasoning.cutOff') : t('reasoning.label');
  return (
    <details className={`reasoning${thinking ? ' reasoning--thinking' : ''}`}>
      <summary className="reasoning__summary">{summary}</summary>
      {text && <div className="reasoning__text">{text}</div>}
    </details>
  );
}

/** An answer's text: its reasoning collapsed (when it has any), then the answer. */
export const AnswerText = memo(function AnswerText({ text, streaming = false }: { text: string; streaming?: boolean }) {
  const split = splitReasoning(text);
  const showReasoning = split.reasoning !== null && (split.reasoning.length > 0 || split.open);
  return (
    <>
      {showReasoning && <ReasoningBlock text={split.reasoning ?? ''} open={split.open} streaming={streaming} />}
      {split.answer && (streaming ? <StreamingMarkdown text={split.answer} /> : <Markdown text={split.answer} />)}
    </>
  );
});
