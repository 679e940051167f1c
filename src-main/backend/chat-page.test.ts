// The per-chat web page (Organise export): an answer's reasoning folded above it, every text escaped.
import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../src-shared/ipc/contract';
import { chatPage } from './chat-page';

function conversation(answer: string): Conversation {
  return {
    id: 'c1',
    title: 'Thinking',
    createdAt: 0,
    updatedAt: 0,
    messages: [
      { id: 'm1', role: 'user', content: 'Why <b>?', createdAt: 0, status: 'done' },
      { id: 'm2', role: 'assistant', content: answer, createdAt: 0, status: 'done' },
    ],
  } as unknown as Conversation;
}

describe('chatPage', () => {
  it('folds an answer’s reasoning into a closed disclosure above the answer, both escaped', () => {
    const html = chatPage(conversation('<think>weigh <i>this</i></think>\n\nBecause & so.'), 0);
    expect(html).toContain('<details class="reasoning"><summary>Reasoning</summary><div class="text">weigh &lt;i&gt;this&lt;/i&gt;</div></details>');
    expect(html).toContain('<div class="text">Because &amp; so.</div>');
    expect(html).not.toContain('&lt;think&gt;');
    expect(html.indexOf('class="reasoning"')).toBeLessThan(html.indexOf('Because'));
  });

  it('shows an answer without reasoning, and a user’s text, as they are', () => {
    const html = chatPage(conversation('Plain answer'), 0);
    expect(html).not.toContain('<details');
    expect(html).toContain('<div class="text">Plain answer</div>');
    expect(html).toContain('<div class="text">Why &lt;b&gt;?</div>');
  });
});
