// Renders an answer's Markdown: GitHub-flavoured (tables, task lists), highlighted code blocks with
// a copy button (grammars loaded when an answer first names their language, highlight.ts), links
// opened in the system browser, maths (KaTeX, loaded when an answer has some) and ```mermaid
// diagrams (CodeBlock). Raw HTML in answers is never rendered.
// A new syntax (maths, diagrams) is a plugin below and, when it needs its own element, a
// component of its own file in this folder named in `components`.
import { memo, useEffect, useSyncExternalStore, type ReactElement } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { CodeBlock } from './CodeBlock';
import { ExternalLink, ImageAsLink } from './ExternalLink';
import { highlightVersion, loadGrammar, missingGrammars, rehypeHighlightLoaded, subscribeHighlight } from './highlight';
import { dollarDelimiters, loadedMath, loadMath, mathVersion, needsMath, subscribeMath } from './math-support';
import '../../styles/read.css';

const remarkPlugins = [remarkGfm];
const rehypePlugins: NonNullable<Parameters<typeof ReactMarkdown>[0]['rehypePlugins']> = [rehypeHighlightLoaded];

const components: Components = {
  pre: CodeBlock,
  a: ExternalLink,
  img: ImageAsLink,
  table: ({ children }) => (
    <div className="table-scroll">
      <table>{children}</table>
    </div>
  ),
};

/**
 * Parsed answers, most recently used last. Parsing (remark + highlight) is the costly part of a
 * row, and a virtualised list remounts rows as they scroll back into view; the element tree is
 * immutable, so it can be reused.
 */
const parsed = new Map<string, ReactElement>();
const PARSED_LIMIT = 1500;
// Trees parsed before the maths plugins arrived show maths as source: parse them again.
subscribeMath(() => parsed.clear());
// Likewise trees parsed before a code block's grammar arrived show it plain.
subscribeHighlight(() => parsed.clear());

/** ReactMarkdown is a synchronous function of its props (no hooks), so calling it yields the tree. */
function parseMarkdown(text: string): ReactElement {
  const math = needsMath(text) ? loadedMath() : null;
  if (!math) return ReactMarkdown({ children: text, remarkPlugins, rehypePlugins, components }) as ReactElement;
  return ReactMarkdown({
    children: dollarDelimiters(text),
    remarkPlugins: [...remarkPlugins, ...math.remark],
    rehypePlugins: [...math.rehype, ...rehypePlugins],
    components,
  }) as ReactElement;
}

/** Starts loading the maths plugins when the text has maths; re-renders once they are in. */
function useMathFor(text: string): void {
  useSyncExternalStore(subscribeMath, mathVersion);
  const wanted = needsMath(text);
  useEffect(() => {
    if (wanted && !loadedMath()) void loadMath();
  }, [wanted]);
}

/** Starts loading the grammars the text's code blocks name; re-renders once each is in. */
function useGrammarsFor(text: string): void {
  useSyncExternalStore(subscribeHighlight, highlightVersion);
  const missing = missingGrammars(text).join(' ');
  useEffect(() => {
    // A grammar that fails to load leaves its blocks plain.
    if (missing) for (const name of missing.split(' ')) loadGrammar(name).catch(() => undefined);
  }, [missing]);
}

export function renderMarkdown(text: string): ReactElement {
  const hit = parsed.get(text);
  if (hit) {
    parsed.delete(text);
    parsed.set(text, hit);
    return hit;
  }
  const tree = parseMarkdown(text);
  parsed.set(text, tree);
  if (parsed.size > PARSED_LIMIT) parsed.delete(parsed.keys().next().value as string);
  return tree;
}

export const Markdown = memo(function Markdown({ text }: { text: string }) {
  useMathFor(text);
  useGrammarsFor(text);
  return <div className="markdown">{renderMarkdown(text)}</div>;
});

/** Text that changes on every frame (the tail of a streamed answer): parsed, never cached. */
export const MarkdownUncached = memo(function MarkdownUncached({ text }: { text: string }) {
  useMathFor(text);
  useGrammarsFor(text);
  return <div className="markdown">{parseMarkdown(text)}</div>;
});
