// A growing answer (§11.7): the part before its last paragraph break is rendered by the cached
// Markdown and kept while text arrives; only the paragraph still being written is parsed again,
// once per animation frame (the chat store batches deltas per frame).
import { memo } from 'react';
import { stableCut } from '../../lib/stream-split';
import { Markdown, MarkdownUncached } from './Markdown';

export const StreamingMarkdown = memo(function StreamingMarkdown({ text }: { text: string }) {
  const cut = stableCut(text);
  return (
    <div className="markdown-stream">
      {cut > 0 && <Markdown text={text.slice(0, cut)} />}
      <MarkdownUncached text={text.slice(cut)} />
    </div>
  );
});
