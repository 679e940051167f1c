// Renders an answer's Markdown: GitHub-flavoured (tables, task lists), highlighted code blocks with
// a copy button, links opened in the system browser. Raw HTML in answers is never rendered.
import { memo, useRef, type ComponentPropsWithoutRef, type MouseEvent, type ReactElement } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import rehypeHighlight from 'rehype-highlight';
import { useCopy } from '../../hooks/useCopy';
import { useApp } from '../../stores/app';
import { Icon } from '../ui/Icon';

const remarkPlugins = [remarkGfm];
const rehypePlugins: NonNullable<Parameters<typeof ReactMarkdown>[0]['rehypePlugins']> = [[rehypeHighlight, { detect: false }]];

export function CodeBlock(props: ComponentPropsWithoutRef<'pre'>) {
  const ref = useRef<HTMLPreElement>(null);
  const { copied, copy } = useCopy();
  const codeClass = findCodeClass(props.children);
  const language = /language-([\w+#.-]+)/.exec(codeClass ?? '')?.[1];
  const copyCode = () => copy(ref.current?.querySelector('code')?.textContent ?? ref.current?.textContent ?? '');
  return (
    <div className="code-block">
      <div className="code-block__bar">
        <span className="code-block__lang">{language ?? 'code'}</span>
        <button type="button" className="btn btn--ghost btn--small" onClick={() => void copyCode()} aria-label={copied ? 'Code copied' : 'Copy code'}>
          <Icon name={copied ? 'check' : 'copy'} size={14} />
          <span>{copied ? 'Copied' : 'Copy'}</span>
        </button>
      </div>
      <pre ref={ref} tabIndex={0} aria-label={`${language ?? 'Code'} block`}>
        {props.children}
      </pre>
    </div>
  );
}

function findCodeClass(children: unknown): string | undefined {
  const child = Array.isArray(children) ? children[0] : children;
  if (child && typeof child === 'object' && 'props' in child) {
    const p = (child as { props?: { className?: string } }).props;
    return p?.className;
  }
  return undefined;
}

function ExternalLink({ href, children }: ComponentPropsWithoutRef<'a'>) {
  const openExternal = useApp((s) => s.openExternal);
  const open = (e: MouseEvent) => {
    e.preventDefault();
    if (href) openExternal(href);
  };
  return (
    <a href={href} onClick={open} rel="noreferrer noopener" title={href}>
      {children}
    </a>
  );
}

/** Remote images would leak that the answer was read; show them as links instead. */
function ImageAsLink({ src, alt }: ComponentPropsWithoutRef<'img'>) {
  const href = typeof src === 'string' ? src : undefined;
  return <ExternalLink href={href}>{`[image: ${alt || href || 'untitled'}]`}</ExternalLink>;
}

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

export function renderMarkdown(text: string): ReactElement {
  const hit = parsed.get(text);
  if (hit) {
    parsed.delete(text);
    parsed.set(text, hit);
    return hit;
  }
  // ReactMarkdown is a synchronous function of its props (no hooks), so calling it yields the tree.
  const tree = ReactMarkdown({ children: text, remarkPlugins, rehypePlugins, components }) as ReactElement;
  parsed.set(text, tree);
  if (parsed.size > PARSED_LIMIT) parsed.delete(parsed.keys().next().value as string);
  return tree;
}

export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return <div className="markdown">{renderMarkdown(text)}</div>;
});
