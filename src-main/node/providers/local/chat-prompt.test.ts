import { describe, expect, it } from 'vitest';
import { toChatHistory } from './chat-prompt';

describe('toChatHistory', () => {
  it('opens a new model turn after a question', () => {
    expect(toChatHistory([{ role: 'user', content: 'Hi' }])).toEqual([
      { type: 'user', text: 'Hi' },
      { type: 'model', response: [] },
    ]);
  });

  it('keeps the last answer open when the request ends with it, so the engine continues it (§2.3.5)', () => {
    expect(
      toChatHistory([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Tell a story' },
        { role: 'assistant', content: 'Once upon a' },
      ]),
    ).toEqual([
      { type: 'system', text: 'Be brief.' },
      { type: 'user', text: 'Tell a story' },
      { type: 'model', response: ['Once upon a'] },
    ]);
  });
});
