// Maths (KaTeX), Mermaid diagrams and highlighted code in answers, in Chromium under the app's own
// CSP (the fixture fails the test on any CSP violation or page error): loaded on demand, drawn
// without eval.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { grammarChunks, grammarNames, initialLoad, RENDERER_OUT } from '../test-support/web/bundle';
import { expect, lastAnswer, newChat, sendMessage, test } from './support/app';
import { scan } from './support/axe';
import { shot } from './support/shots';
import { setTheme } from './support/theme';

const ANSWERS: Record<string, string> = {
  plain: 'Just words and `code`, costing 5 dollars.',
  math: 'Euler wrote $e^{i\\pi} + 1 = 0$, and \\(a^2 + b^2 = c^2\\) holds.\n\n$$\n\\int_0^1 x^2\\,dx = \\frac{1}{3}\n$$',
  diagram: 'The flow:\n\n```mermaid\ngraph TD\n  A[Prompt] --> B{Encrypted?}\n  B -->|Yes| C[Relay]\n  C --> D[Node]\n```',
  broken: 'This one is wrong:\n\n```mermaid\npie of nonsense\n```\n\nThe rest of the answer.',
  rust: 'In Rust:\n\n```rs\nfn main() {\n    let answer = 42;\n}\n```',
};

const answer = (req: { messages: { role: string; content: string }[] }) => {
  const last = [...req.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  return ANSWERS[last] ?? 'unknown';
};

/** Script files the page has loaded so far (the app's own chunks). */
const loadedScripts = (page: Page) =>
  page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.js')));

test.describe('maths and diagrams', () => {
  test.use({ bridgeOptions: { provider: { answer, tokenDelayMs: 1 } } });

  test('render on demand under the CSP, with axe scans in light and dark', async ({ app }, info) => {
    test.setTimeout(180_000);
    await newChat(app);
    await sendMessage(app, 'plain');
    await expect(lastAnswer(app)).toContainText('Just words');
    const before = await loadedScripts(app);

    await sendMessage(app, 'math');
    const math = lastAnswer(app);
    await expect(math.locator('.katex')).toHaveCount(3);
    await expect(math.locator('.katex-display')).toHaveCount(1);
    await expect(math.locator('annotation').first()).toHaveText('e^{i\\pi} + 1 = 0');
    // KaTeX's own fonts, from the app's origin (font-src 'self').
    await expect.poll(() => app.evaluate(() => document.fonts.check('16px KaTeX_Main'))).toBe(true);
    const afterMath = await loadedScripts(app);
    expect(afterMath.length, 'KaTeX came in its own chunk, when needed').toBeGreaterThan(before.length);

    await sendMessage(app, 'diagram');
    const picture = lastAnswer(app).getByRole('img', { name: 'Diagram: graph TD' });
    await expect(picture).toBeVisible({ timeout: 20_000 });
    expect(await picture.getAttribute('src')).toMatch(/^data:image\/svg\+xml;charset=utf-8,/);
    // The picture really drew: an image element with a size of its own.
    expect(await picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 50)).toBe(true);
    expect((await loadedScripts(app)).length, 'the diagram drawer came in its own chunk').toBeGreaterThan(afterMath.length);

    await sendMessage(app, 'broken');
    const broken = lastAnswer(app);
    await expect(broken.getByRole('note')).toContainText('Could not draw this diagram:');
    await expect(broken.getByLabel('Diagram source')).toHaveText('pie of nonsense');
    await expect(broken).toContainText('The rest of the answer.');

    for (const theme of ['Light', 'Dark'] as const) {
      await setTheme(app, theme);
      await expect(app.getByRole('img', { name: 'Diagram: graph TD' })).toBeVisible();
      await lastAnswer(app).scrollIntoViewIfNeeded();
      await scan(app, info, `math-diagrams-${theme}`);
      await app.locator('article.msg--assistant').nth(1).scrollIntoViewIfNeeded();
      await shot(app, info, `math-diagrams-${theme.toLowerCase()}`);
    }
    // The dark picture is drawn in dark colours.
    const dark = decodeURIComponent((await app.getByRole('img', { name: 'Diagram: graph TD' }).getAttribute('src'))!);
    expect(dark).toContain('--bg:#1f2024');
  });
});

test.describe('code highlighting', () => {
  test.use({ bridgeOptions: { provider: { answer, tokenDelayMs: 1 } } });

  test('no grammar is in the initial chunks; a block brings its own grammar when it first shows', async ({ app }) => {
    const initial = initialLoad();
    const grammars = grammarChunks();
    expect(grammars.length, 'each grammar is a chunk of its own').toBeGreaterThanOrEqual(30);
    expect(grammars.filter((g) => initial.js.includes(g.file))).toEqual([]);
    const initialCode = initial.js.map((file) => readFileSync(join(RENDERER_OUT, file), 'utf8')).join('\n');
    expect(grammarNames().filter((name) => initialCode.includes(name)), 'no grammar compiled into the initial chunks').toEqual([]);

    const grammarsLoaded = async () => {
      const names = new Set((await loadedScripts(app)).map((url) => new URL(url).pathname.split('/').pop()));
      return grammars.filter((g) => names.has(g.file.split('/').pop())).map((g) => /([\w-]+)\.js$/.exec(g.src)![1]);
    };
    await newChat(app);
    await sendMessage(app, 'plain');
    await expect(lastAnswer(app)).toContainText('Just words');
    expect(await grammarsLoaded()).toEqual([]);

    await sendMessage(app, 'rust');
    const code = lastAnswer(app).locator('pre code');
    await expect(code.locator('.hljs-keyword').first()).toHaveText('fn');
    await expect(code).toHaveText('fn main() {\n    let answer = 42;\n}');
    await expect(code).toHaveClass(/\bhljs\b/);
    expect(await grammarsLoaded()).toEqual(['rust']);
  });
});
