import { screen, waitFor } from '@testing-library/react';
import { afterAll, beforeAll, afterEach, describe, expect, it } from 'vitest';
import { setApi } from './api/api';
import { installFake, renderApp } from '../../test-support/renderer/harness';
import { findMatches, occurrences } from './lib/find-matches';

// jsdom has no CSS Custom Highlight API: a registry that keeps what the page registers, as Chromium's does.
class TestHighlight extends Set<Range> {}
const registry = new Map<string, TestHighlight>();
const saved = { CSS: globalThis.CSS, Highlight: (globalThis as { Highlight?: unknown }).Highlight };
beforeAll(() => {
  Object.assign(globalThis, { CSS: { ...(globalThis.CSS ?? {}), highlights: registry }, Highlight: TestHighlight });
});
afterAll(() => Object.assign(globalThis, saved));
afterEach(() => setApi(undefined));

const field = () => screen.getByRole('searchbox', { name: 'Text to find in this conversation' });
const count = () => screen.getByRole('search', { name: 'Find in this conversation' }).querySelector('[role="status"]');
const current = () => [...(registry.get('find-current') ?? [])].map((r) => r.toString());

describe('find in the open conversation', () => {
  it('counts matches in the stored text, case-insensitively, keeping offsets when lower case is longer', () => {
    expect(occurrences('Needle, needle, NEEDLE', 'needle')).toEqual([0, 8, 16]);
    expect(occurrences('İstanbul needle', 'needle')).toEqual([9]);
    const messages = [
      { id: 'a', role: 'user' as const, content: 'one needle', createdAt: 1, status: 'complete' as const },
      { id: 'b', role: 'assistant' as const, content: 'no match', createdAt: 2, status: 'complete' as const },
      { id: 'c', role: 'assistant' as const, content: 'Needle and needle', createdAt: 3, status: 'complete' as const },
    ];
    expect(findMatches(messages, '  NEEDLE ')).toEqual([
      { messageId: 'a', occurrence: 0 },
      { messageId: 'c', occurrence: 0 },
      { messageId: 'c', occurrence: 1 },
    ]);
    expect(findMatches(messages, '   ')).toEqual([]);
  });

  it('opens with Ctrl+F, shows "n of m", steps with Enter and Shift+Enter, highlights across formatting, and closes with Escape', async () => {
    const fake = installFake();
    fake.seed('Hay', [
      { role: 'user', content: 'Where is the needle?' },
      { role: 'assistant', content: 'The **nee**dle is here; another needle there.' },
    ]);
    const { user } = await renderApp(fake);
    await screen.findByRole('heading', { name: 'Hay' });
    expect(screen.queryByRole('searchbox', { name: 'Text to find in this conversation' })).toBeNull();

    await user.keyboard('{Control>}f{/Control}');
    await waitFor(() => expect(field()).toHaveFocus());
    await user.type(field(), 'NEEDLE');
    await waitFor(() => expect(count()).toHaveTextContent('1 of 3'));
    await waitFor(() => expect(current()).toEqual(['needle']));
    expect(registry.get('find-match')?.size).toBe(2);

    await user.keyboard('{Enter}');
    expect(count()).toHaveTextContent('2 of 3');
    // The match crosses the bold part: one range over two text nodes.
    await waitFor(() => expect(current()).toEqual(['needle']));
    const [range] = [...registry.get('find-current')!];
    expect(range!.startContainer).not.toBe(range!.endContainer);

    await user.keyboard('{Enter}{Enter}');
    expect(count()).toHaveTextContent('1 of 3');
    await user.keyboard('{Shift>}{Enter}{/Shift}');
    expect(count()).toHaveTextContent('3 of 3');
    await user.click(screen.getByRole('button', { name: 'Next match (Enter)' }));
    expect(count()).toHaveTextContent('1 of 3');

    await user.clear(field());
    await user.type(field(), 'haystack');
    await waitFor(() => expect(count()).toHaveTextContent('No matches'));
    expect(screen.getByRole('button', { name: 'Next match (Enter)' })).toBeDisabled();

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('searchbox', { name: 'Text to find in this conversation' })).toBeNull();
    expect(registry.has('find-match')).toBe(false);
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'Message' })).toHaveFocus());
    // Escape closed the find bar only: nothing was stopped.
    expect(fake.calls.some((c) => c.channel === 'chat:stop')).toBe(false);
  });
});

describe('an answer’s text as it reads', () => {
  it('takes Markdown syntax out, but not from code or from within words', async () => {
    const { visibleText } = await import('./lib/find-matches');
    expect(visibleText('The **nee**dle, a [link](https://x.test/needle) and `code`')).toBe('The needle, a link and code');
    expect(visibleText('# Title\n- item one\n1. first\n> quoted')).toBe('Title\nitem one\nfirst\nquoted');
    expect(visibleText('snake_case_name and _emphasis_')).toBe('snake_case_name and emphasis');
    expect(visibleText('before\n```ts\nconst a = **b**;\n```\nafter')).toBe('before\n\nconst a = **b**;\n\nafter');
    expect(visibleText('| a | b |\n|---|---|\n| 1 | 2 |')).toBe(' a b \n\n 1 2 ');
  });
});
