// Syntax highlighting of code blocks with grammars loaded on demand: one lowlight instance
// (highlight.js core) starts with no grammar; a rehype plugin highlights a block whose grammar is
// in, and leaves the others plain; `loadGrammarsFor(text)` fetches the grammars an answer's fences
// name, and subscribers (Markdown) parse again when one arrives — as math-support does for KaTeX.
import type { Element, ElementContent, Root, RootContent } from 'hast';
import { toText } from 'hast-util-to-text';
import { createLowlight } from 'lowlight';
import { EMBEDS, GRAMMARS, grammarFor } from './highlight-languages';

const lowlight = createLowlight();
const loading = new Map<string, Promise<void>>();
const listeners = new Set<() => void>();
let version = 0;

export function subscribeHighlight(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Changes each time a grammar arrives (for useSyncExternalStore). */
export const highlightVersion = (): number => version;

/** Whether a block in this language can be highlighted now. */
export const grammarLoaded = (language: string): boolean => {
  const name = grammarFor(language);
  return name !== undefined && lowlight.registered(name);
};

/** Loads one grammar (once) and tells the subscribers. */
function loadOne(name: string): Promise<void> {
  let done = loading.get(name);
  if (!done) {
    done = GRAMMARS[name]!().then((module) => {
      lowlight.register(name, module.default);
      version++;
      for (const listener of [...listeners]) listener();
    });
    // A chunk that failed to load (the app being updated underneath) may be tried again later.
    done.catch(() => loading.delete(name));
    loading.set(name, done);
  }
  return done;
}

/** Loads a language's grammar and the grammars it embeds; an unknown name resolves at once. */
export function loadGrammar(language: string): Promise<void> {
  const first = grammarFor(language);
  if (!first) return Promise.resolve();
  const names = new Set([first]);
  for (const name of names) for (const embedded of EMBEDS[name] ?? []) names.add(embedded);
  return Promise.all([...names].map(loadOne)).then(() => undefined);
}

const FENCE = /^ {0,3}(?:`{3,}|~{3,})[ \t]*([^\s`{]+)/gm;

/** The languages a Markdown text's fenced blocks name whose grammars are not in yet. */
export function missingGrammars(text: string): string[] {
  if (!text.includes('```') && !text.includes('~~~')) return [];
  const wanted = new Set<string>();
  for (const [, language] of text.matchAll(FENCE)) {
    const name = grammarFor(language!);
    if (name && !lowlight.registered(name)) wanted.add(name);
  }
  return [...wanted];
}

/** The language a `<code>` names with `language-x` / `lang-x`; false for `no-highlight`. */
function languageOf(node: Element): string | false | undefined {
  const list = node.properties.className;
  if (!Array.isArray(list)) return undefined;
  let name: string | undefined;
  for (const entry of list) {
    const value = String(entry);
    if (value === 'no-highlight' || value === 'nohighlight') return false;
    name ??= value.startsWith('language-') ? value.slice(9) : value.startsWith('lang-') ? value.slice(5) : undefined;
  }
  return name;
}

function highlightCode(code: Element): void {
  const language = languageOf(code);
  if (!language) return;
  const name = grammarFor(language);
  if (!name || !lowlight.registered(name)) return;
  const classes = Array.isArray(code.properties.className) ? code.properties.className : [];
  code.properties.className = classes.includes('hljs') ? classes : ['hljs', ...classes];
  const result = lowlight.highlight(name, toText(code, { whitespace: 'pre' }), { prefix: 'hljs-' });
  if (result.children.length > 0) code.children = result.children as ElementContent[];
}

function visit(node: Root | RootContent): void {
  if (node.type !== 'root' && node.type !== 'element') return;
  for (const child of node.children) {
    if (node.type === 'element' && node.tagName === 'pre' && child.type === 'element' && child.tagName === 'code') highlightCode(child);
    else visit(child);
  }
}

/** The rehype plugin: highlights each `pre > code` whose grammar is loaded (as rehype-highlight with `detect: false`). */
export function rehypeHighlightLoaded() {
  return (tree: Root) => visit(tree);
}
