// A fenced code block: its language, a copy button, and the highlighted code (keyboard-scrollable).
import { useRef, type ComponentPropsWithoutRef } from 'react';
import { CopyButton } from '../ui/CopyButton';

export function CodeBlock(props: ComponentPropsWithoutRef<'pre'>) {
  const ref = useRef<HTMLPreElement>(null);
  const codeClass = findCodeClass(props.children);
  const language = /language-([\w+#.-]+)/.exec(codeClass ?? '')?.[1];
  const codeText = () => ref.current?.querySelector('code')?.textContent ?? ref.current?.textContent ?? '';
  return (
    <div className="code-block">
      <div className="code-block__bar">
        <span className="code-block__lang">{language ?? 'code'}</span>
        <CopyButton text={codeText} label="Copy code" copiedLabel="Code copied" className="btn btn--ghost btn--small" iconSize={14} showText />
      </div>
      <pre ref={ref} tabIndex={0} aria-label={`${language ?? 'Code'} block`}>
        {props.children}
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
