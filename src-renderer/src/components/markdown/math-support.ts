// Maths in answers (KaTeX through remark-math + rehype-math.ts) is loaded only when an answer has
// some: the first answer that needs it starts one dynamic import (its own chunk, with KaTeX's
// stylesheet and local fonts), and every Markdown view re-renders when it has arrived. KaTeX
// writes its layout as `style` attributes, which React applies through the CSSOM, so the page's
// style-src needs no 'unsafe-inline'; it never evaluates code.
import type { Options } from 'react-markdown';

type PluggableList = NonNullable<Options['remarkPlugins']>;

export interface MathPlugins {
  remark: PluggableList;
  rehype: PluggableList;
}

let plugins: MathPlugins | null = null;
let loading: Promise<void> | null = null;
let version = 0;
const listeners = new Set<() => void>();

/** `$$…$$`, `\[…\]`, `\(…\)`, or `$…$` with no space just inside either dollar. */
const MATH_HINT = /\$\$|\\\[|\\\(|\$[^\s$](?:[^$\n]*[^\s$])?\$/;

export function needsMath(text: string): boolean {
  return MATH_HINT.test(text);
}

/** The plugins once loaded; null before (the answer then renders as plain Markdown). */
export function loadedMath(): MathPlugins | null {
  return plugins;
}

export function loadMath(): Promise<void> {
  loading ??= Promise.all([import('remark-math'), import('./rehype-math'), import('katex/dist/katex.min.css')])
    .then(([remarkMath, rehype]) => {
      plugins = { remark: [remarkMath.default], rehype: [rehype.rehypeMath] };
      version += 1;
      for (const listener of listeners) listener();
    })
    .catch(() => {
      // A chunk that failed to load leaves the maths as its source text; the next answer tries again.
      loading = null;
    });
  return loading;
}

export function subscribeMath(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function mathVersion(): number {
  return version;
}

const CODE = /(```[\s\S]*?(?:```|$)|~~~[\s\S]*?(?:~~~|$)|`[^`\n]*`)/;

/**
 * remark-math knows dollars only; models often write `\[…\]` (display) and `\(…\)` (inline).
 * Those become `$$…$$` and `$…$`, except inside code.
 */
export function dollarDelimiters(text: string): string {
  return text
    .split(CODE)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part
            .replace(/\\\[([\s\S]+?)\\\]/g, (_m, body: string) => `\n$$\n${body.trim()}\n$$\n`)
            .replace(/\\\(([\s\S]+?)\\\)/g, (_m, body: string) => `$${body.trim()}$`),
    )
    .join('');
}
