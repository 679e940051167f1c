import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../../../src-shared/ipc/contract';
import { MessageList } from './MessageList';

function conversation(n: number): Message[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `m${i}`,
    role: i % 2 ? ('assistant' as const) : ('user' as const),
    content: i % 2 ? `Answer **${i}** with \`code\`` : `Question ${i}`,
    createdAt: i,
    status: 'complete' as const,
  }));
}

const noop = () => undefined;
const ok = async () => true;

describe('MessageList', () => {
  it('keeps only a window of a 10 000-message conversation in the DOM, starting at the end', () => {
    const messages = conversation(10_000);
    const started = performance.now();
    render(<MessageList conversationId="c" messages={messages} onEdit={ok} onRegenerate={noop} onRetry={noop} />);
    const ms = performance.now() - started;
    const rows = document.querySelectorAll('.message-list__row');
    expect(rows.length).toBeGreaterThan(3);
    expect(rows.length).toBeLessThan(40);
    expect(screen.getByText('Question 9998')).toBeInTheDocument();
    expect(screen.queryByText('Question 0')).toBeNull();
    expect(screen.getByRole('region', { name: 'Messages (10000)' })).toBeInTheDocument();
    // Not a speed assertion (that lives in the e2e measurement); just proof the work is bounded.
    expect(ms).toBeLessThan(5000);
  });

  it('scrolls to and highlights a message asked for by search', async () => {
    const messages = conversation(2000);
    const view = render(<MessageList conversationId="c" messages={messages} onEdit={ok} onRegenerate={noop} onRetry={noop} />);
    expect(screen.queryByText('Question 10')).toBeNull();
    view.rerender(<MessageList conversationId="c" messages={messages} revealId="m10" revealSeq={1} onEdit={ok} onRegenerate={noop} onRetry={noop} />);
    await act(async () => new Promise((r) => setTimeout(r, 50)));
    const row = await screen.findByText('Question 10');
    expect(row.closest('article')).toHaveClass('msg--highlight');
  });

  it('offers Regenerate only on the last answer', () => {
    render(<MessageList conversationId="c" messages={conversation(4)} onEdit={ok} onRegenerate={noop} onRetry={noop} />);
    expect(screen.getAllByRole('button', { name: 'Regenerate this answer' })).toHaveLength(1);
    expect(screen.getAllByRole('button', { name: 'Edit this message and resend' })).toHaveLength(2);
  });
});
