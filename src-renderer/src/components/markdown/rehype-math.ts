// The rehype step that typesets remark-math's nodes with KaTeX. rehype-katex does the same, but in
// a browser it turns KaTeX's HTML into a tree through <template>.innerHTML, and the page's CSP
// then refuses (and reports) every style attribute KaTeX wrote. Here the HTML is parsed by parse5
// (hast-util-from-html), which is plain JavaScript: the styles reach the page through React, via
// the CSSOM, which style-src 'self' allows.
import katex from 'katex';
import { fromHtml } from 'hast-util-from-html';
import { toText } from 'hast-util-to-text';
import { SKIP, visitParents } from 'unist-util-visit-parents';

type Root = ReturnType<typeof fromHtml>;
type Node = Root['children'][number];
type Parent = { children: Node[] };

const KATEX_OPTIONS = { throwOnError: false, trust: false, strict: 'ignore', output: 'htmlAndMathml' } as const;

function classesOf(node: { properties?: Record<string, unknown> }): string[] {
  const names = node.properties?.className;
  return Array.isArray(names) ? names.map(String) : [];
}

export function rehypeMath() {
  return (tree: Root) => {
    visitParents(tree, 'element', (element, ancestors) => {
      const classes = classesOf(element);
      const fenced = classes.includes('language-math');
      if (!fenced && !classes.includes('math-display') && !classes.includes('math-inline')) return;
      let parent = ancestors[ancestors.length - 1] as unknown as Parent | undefined;
      let scope: Node = element;
      let displayMode = classes.includes('math-display');
      // A ```math fence: the whole <pre> becomes display maths.
      const pre = parent as unknown as { type?: string; tagName?: string } | undefined;
      if (fenced && element.tagName === 'code' && pre?.type === 'element' && pre.tagName === 'pre') {
        scope = pre as unknown as Node;
        parent = ancestors[ancestors.length - 2] as unknown as Parent | undefined;
        displayMode = true;
      }
      if (!parent) return;
      const html = katex.renderToString(toText(scope, { whitespace: 'pre' }), { ...KATEX_OPTIONS, displayMode });
      parent.children.splice(parent.children.indexOf(scope), 1, ...fromHtml(html, { fragment: true }).children);
      return SKIP;
    });
  };
}
