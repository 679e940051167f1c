// A fenced code block: its language, a copy button, and the highlighted code (keyboard-scrollable).
// A ```mermaid block is drawn as a diagram instead.
import { useRef, type ComponentPropsWithoutRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { CopyButton } from '../ui/CopyButton';
import { MermaidDiagram } from './MermaidDiagram';

export function CodeBlock(props: ComponentPropsWithoutRef<'pre'>) {
  const codeClass = findCodeClass(props.children);
  const language = /language-([\w+#.-]+)/.exec(codeClass ?? '')?.[1];
  if (language === 'mermaid') return <MermaidDiagram source={textOf(props.children).replace(/\n$/, '')} />;
  return <HighlightedBlock language={language}>{props.children}</HighlightedBlock>;
}

function HighlightedBlock({ language, children }: { language: string | undefined; children: ReactNode }) {
  const { t } = useTranslation('chat');
  const ref = useRef<HTMLPreElement>(null);
  const codeText = () => ref.current?.querySelector('code')?.textContent ?? ref.current?.textContent ?? '';
  return (
    <div className="code-block">
      <div className="code-block__bar">
        <span className="code-block__lang">{language ?? t('code.unnamed')}</span>
        <CopyButton text={codeText} label={t('code.copy')} copiedLabel={t('code.copied')} className="btn btn--ghost btn--small" iconSize={14} showText />
      </div>
      <pre ref={ref} tabIndex={0} aria-label={language ? t('code.blockOf', { language }) : t('code.block')}>
        {children}
      </pre>
    </div>
  );
}

/** The class of the block's <code> child (`language-python hljs`), where the language is named. */
function findCodeClass(children: unknown): string | undefined {
  const child = Array.isArray(children) ? children[0] : children;
  if (child && typeof child === 'object' && 'props' in child) {
    const p = (child as { props?: { className?: string } }).props;
    return p?.className;
  }
  return undefined;
}

/** The plain text of rendered children (a code element holding strings). */
function textOf(node: unknown): string {
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join('');
  if (node && typeof node === 'object' && 'props' in node) return textOf((node as { props?: { children?: unknown } }).props?.children);
  return '';
}
