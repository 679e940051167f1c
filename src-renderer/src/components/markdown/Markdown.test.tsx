// Maths and diagrams in answers: loaded only when an answer has them, drawn without eval, and a
// diagram that cannot be drawn shows its source and why instead of breaking the answer.
import { render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Markdown } from './Markdown';
import { dollarDelimiters, loadedMath, needsMath } from './math-support';

const realFunction = globalThis.Function;
const realEval = globalThis.eval;

/** Anything that compiles code from a string fails loudly while this is on. */
function forbidEval(): void {
  const refuse = () => {
    throw new EvalError('code from a string was evaluated');
  };
  globalThis.Function = refuse as unknown as FunctionConstructor;
  globalThis.eval = refuse;
}

function decodeSvg(url: string): string {
  expect(url.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
  return decodeURIComponent(url.slice('data:image/svg+xml;charset=utf-8,'.length));
}

afterEach(() => {
  globalThis.Function = realFunction;
  globalThis.eval = realEval;
});

describe('maths in answers', () => {
  it('an answer without maths does not load KaTeX', async () => {
    render(<Markdown text={'Costs 5 dollars, no formula here.\n\n```js\nconst price = "$5";\n```'} />);
    await new Promise((r) => setTimeout(r, 50));
    expect(loadedMath()).toBeNull();
    expect(document.querySelector('.katex')).toBeNull();
  });

  it('renders inline and display maths in all four spellings, with eval forbidden', async () => {
    forbidEval();
    const { container } = render(
      <Markdown text={'Euler: $e^{i\\pi} + 1 = 0$ and \\(a^2 + b^2\\).\n\n$$\n\\int_0^1 x\\,dx = \\frac{1}{2}\n$$\n\nAlso \\[ \\sum_{k=1}^n k \\]'} />,
    );
    await waitFor(() => expect(container.querySelectorAll('.katex').length).toBe(4));
    expect(loadedMath()).not.toBeNull();
    expect(container.querySelector('.katex [style]'), 'KaTeX lays out with style attributes').not.toBeNull();
    expect(container.querySelectorAll('.katex-display').length).toBe(2);
    // KaTeX also writes MathML, with the TeX source as its annotation (what a screen reader gets).
    const annotations = [...container.querySelectorAll('annotation')].map((a) => a.textContent);
    expect(annotations).toEqual(['e^{i\\pi} + 1 = 0', 'a^2 + b^2', '\\int_0^1 x\\,dx = \\frac{1}{2}', '\\sum_{k=1}^n k']);
    expect(container).not.toHaveTextContent('$e^');
  });

  it('parses KaTeX output without the page parser (a style attribute put in by innerHTML or DOMParser breaks the CSP)', async () => {
    const parse = vi.spyOn(DOMParser.prototype, 'parseFromString');
    const innerHtml = vi.spyOn(Element.prototype, 'innerHTML', 'set');
    const { container } = render(<Markdown text={'Area $\\pi r^2$ again'} />);
    await waitFor(() => expect(container.querySelector('.katex')).not.toBeNull());
    expect(parse).not.toHaveBeenCalled();
    expect(innerHtml).not.toHaveBeenCalled();
  });

  it('bad TeX shows the source in the error colour instead of throwing', async () => {
    const { container } = render(<Markdown text={'Broken: $\\frac{1}{$ end'} />);
    await waitFor(() => expect(container.querySelector('.katex-error')).not.toBeNull());
    expect(container).toHaveTextContent('end');
  });

  it('knows when a text has maths, and leaves code alone', () => {
    expect(needsMath('plain words')).toBe(false);
    expect(needsMath('a $ 5 and $ 6 price')).toBe(false);
    expect(needsMath('$x$')).toBe(true);
    expect(needsMath('\\(x\\)')).toBe(true);
    expect(dollarDelimiters('see \\(x\\) and `\\(y\\)`')).toBe('see $x$ and `\\(y\\)`');
    expect(dollarDelimiters('\\[a\\]\n```\n\\[b\\]\n```')).toBe('\n$$\na\n$$\n\n```\n\\[b\\]\n```');
  });
});

describe('mermaid diagrams in answers', () => {
  beforeEach(() => {
    document.documentElement.dataset.theme = 'light';
  });

  it('draws a flowchart as an SVG picture, with eval forbidden, and keeps the source', async () => {
    forbidEval();
    render(<Markdown text={'Here:\n\n```mermaid\ngraph TD\n  A[Start] --> B{Works?}\n  B -->|Yes| C[Ship it]\n```'} />);
    const img = await screen.findByRole('img', { name: 'Diagram: graph TD' }, { timeout: 8000 });
    const svg = decodeSvg(img.getAttribute('src')!);
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('Ship it');
    expect(svg).not.toMatch(/<script|@import|https?:\/\/(?!www\.w3\.org)/i);
    expect(svg).toContain('--bg:#ffffff');
    expect(screen.getByText('Diagram source')).toBeInTheDocument();
    expect(screen.getAllByLabelText('Diagram source')[0]).toHaveTextContent('A[Start] --> B{Works?}');
  });

  it('follows the dark theme', async () => {
    document.documentElement.dataset.theme = 'dark';
    render(<Markdown text={'```mermaid\nsequenceDiagram\n  Alice->>Bob: Hello\n```'} />);
    const img = await screen.findByRole('img', { name: 'Diagram: sequenceDiagram' });
    expect(decodeSvg(img.getAttribute('src')!)).toContain('--bg:#1f2024');
  });

  it('a diagram that cannot be parsed shows its source and a short reason', async () => {
    render(<Markdown text={'Before\n\n```mermaid\nthis is not a diagram\n```\n\nAfter'} />);
    const note = await screen.findByRole('note');
    expect(note).toHaveTextContent(/^Could not draw this diagram: .+/);
    expect(note.textContent!.length).toBeLessThan(220);
    expect(screen.getByLabelText('Diagram source')).toHaveTextContent('this is not a diagram');
    expect(screen.getByText('After')).toBeInTheDocument();
    expect(screen.queryByRole('img')).toBeNull();
  });

  it('other code blocks stay code blocks', () => {
    render(<Markdown text={'```python\nprint("hi")\n```'} />);
    expect(screen.getByLabelText('python block')).toHaveTextContent('print("hi")');
    expect(screen.queryByRole('img')).toBeNull();
  });
});
