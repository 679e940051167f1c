// Code blocks load only the grammar they name: a block in a language not loaded yet shows as plain
// text, then highlighted once its grammar arrives; aliases find their grammar before it is loaded;
// an unknown language stays plain. (That no grammar is in the initial chunk is checked on the
// production build: e2e/math-diagrams.spec.ts and npm run bench:bundle.)
import { render, waitFor } from '@testing-library/react';
import hljs from 'highlight.js/lib/core';
import { describe, expect, it } from 'vitest';
import { Markdown } from './Markdown';
import { grammarLoaded, missingGrammars } from './highlight';
import { ALIASES, EMBEDS, GRAMMARS, grammarFor } from './highlight-languages';

describe('code highlighting on demand', () => {
  it('shows a block plain, then highlighted once its grammar has loaded', async () => {
    expect(grammarLoaded('rust')).toBe(false);
    const { container } = render(<Markdown text={'```rust\nfn main() { let x = 1; }\n```'} />);
    const code = () => container.querySelector('pre code')!;
    expect(code()).toHaveTextContent('fn main() { let x = 1; }');
    expect(code().querySelector('[class^="hljs-"]'), 'nothing highlighted before the grammar is in').toBeNull();
    await waitFor(() => expect(code().querySelector('.hljs-keyword')).not.toBeNull());
    expect(grammarLoaded('rust')).toBe(true);
    expect(code()).toHaveClass('hljs');
    expect(code()).toHaveClass('language-rust');
    expect([...code().querySelectorAll('.hljs-keyword')].map((k) => k.textContent)).toEqual(['fn', 'let']);
    expect(code()).toHaveTextContent('fn main() { let x = 1; }');
    // Another answer in the same language is highlighted from its first render.
    const again = render(<Markdown text={'```rs\nlet y = 2;\n```'} />);
    expect(again.container.querySelector('pre code .hljs-keyword')).toHaveTextContent('let');
  });

  it('finds a grammar by alias, with the grammars it embeds (JSX in TSX)', async () => {
    expect(missingGrammars('```tsx\nconst a = <b>hi</b>;\n```')).toEqual(['typescript']);
    const { container } = render(<Markdown text={'```TSX\nconst a = <b className="x">hi</b>;\n```'} />);
    await waitFor(() => expect(container.querySelector('pre code .hljs-keyword')).toHaveTextContent('const'));
    await waitFor(() => expect(container.querySelector('pre code .hljs-name')).toHaveTextContent('b'));
    expect(grammarLoaded('xml')).toBe(true);
  });

  it('leaves a block in an unknown language plain and loads nothing for it', async () => {
    expect(missingGrammars('```klingon\nqapla\n```\n\n~~~\nno language\n~~~')).toEqual([]);
    const { container } = render(<Markdown text={'```klingon\nqapla\n```'} />);
    await new Promise((r) => setTimeout(r, 20));
    expect(container.querySelector('pre code')).toHaveTextContent('qapla');
    expect(container.querySelector('pre code')).not.toHaveClass('hljs');
    expect(container.querySelector('[aria-label="klingon block"]')).not.toBeNull();
  });

  it('knows each grammar by the aliases it declares, and embeds only grammars it has', async () => {
    for (const [name, load] of Object.entries(GRAMMARS)) {
      const grammar = (await load()).default(hljs);
      expect([...(ALIASES[name] ?? [])].sort(), name).toEqual([...(grammar.aliases ?? [])].sort());
      for (const alias of grammar.aliases ?? []) expect(grammarFor(alias)).toBe(name);
    }
    for (const embedded of Object.values(EMBEDS).flat()) expect(GRAMMARS[embedded], embedded).toBeDefined();
  });
});
