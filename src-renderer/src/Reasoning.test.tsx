// Reasoning in answers (issue 14, Read; docs/protocol.md §2.3.6): a leading <think> block shows
// as a collapsed "Reasoning" disclosure (a native <details>), "Thinking…" while it is still
// open in a streaming answer, the answer's Markdown after it; Copy takes the answer alone.
import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setApi } from './api/api';
import { installFake, renderApp } from '../../test-support/renderer/harness';

afterEach(() => setApi(undefined));

const composer = () => screen.getByRole('textbox', { name: 'Message' });
const frame = () => act(() => new Promise<void>((resolve) => setTimeout(resolve, 40)));

async function ask(question: string) {
  const fake = installFake({ answers: 'manual' });
  fake.seed('Thinking', []);
  const r = await renderApp(fake);
  await screen.findByRole('heading', { name: 'Thinking' });
  await r.user.type(composer(), `${question}{Enter}`);
  const id = [...fake.state.inFlight.keys()][0]!;
  return { ...r, fake, id };
}

describe('reasoning in an answer', () => {
  it('shows "Thinking…" while the block streams, then a collapsed, focusable Reasoning disclosure, and the answer after it', async () => {
    const { fake, id, user } = await ask('Capital of France?');
    act(() => fake.delta(id, '<think>\nThe user asks for'));
    await frame();
    const pending = screen.getByRole('article', { name: 'Answer on its way' });
    expect(within(pending).getByText('Thinking…')).toBeInTheDocument();
    expect(pending.querySelector('details')).not.toHaveAttribute('open');
    // The reasoning's text is not part of the answer's Markdown.
    expect(pending.querySelector('.markdown')).toBeNull();

    act(() => fake.delta(id, ' a capital.\n</think>\n\nThe capital is **Paris**.'));
    await frame();
    expect(within(pending).getByText('Reasoning')).toBeInTheDocument();
    expect(within(pending).getByText('Paris').tagName).toBe('STRONG');

    act(() => fake.answer(id, '<think>\nThe user asks for a capital.\n</think>\n\nThe capital is **Paris**.'));
    const answer = await screen.findByRole('article', { name: 'Answer' });
    const details = answer.querySelector('details')!;
    const summary = within(answer).getByText('Reasoning');
    expect(details.open).toBe(false);
    expect(answer.querySelector('.markdown')).toHaveTextContent('The capital is Paris.');
    expect(answer.querySelector('.markdown')).not.toHaveTextContent('asks for');

    summary.focus();
    expect(summary).toHaveFocus();
    // A native <summary>: focusable, and opened by Enter or Space in a browser (e2e/attachments.spec.ts presses Enter).
    await user.click(summary);
    await waitFor(() => expect(details.open).toBe(true));
    expect(within(details).getByText('The user asks for a capital.')).toBeVisible();
  });

  it('copies the answer without its reasoning', async () => {
    const { fake, id, user } = await ask('Capital?');
    act(() => fake.answer(id, '<think>plan the answer</think>\n\nParis.'));
    const answer = await screen.findByRole('article', { name: 'Answer' });
    await user.click(within(answer).getByRole('button', { name: 'Copy message' }));
    await waitFor(async () => expect(await navigator.clipboard.readText()).toBe('Paris.'));
  });

  it('shows no disclosure for an empty block (a model told /no_think) or an answer without one', async () => {
    const { fake, id, user } = await ask('One');
    act(() => fake.answer(id, '<think>\n\n</think>\n\nJust the answer.'));
    const answer = await screen.findByRole('article', { name: 'Answer' });
    expect(answer).toHaveTextContent('Just the answer.');
    expect(answer.querySelector('details')).toBeNull();
    await user.type(composer(), 'Two{Enter}');
    act(() => fake.answer(id, 'Plain, with a literal <think> tag inside.'));
    await waitFor(() => expect(screen.getAllByRole('article', { name: 'Answer' })).toHaveLength(2));
    const second = screen.getAllByRole('article', { name: 'Answer' })[1]!;
    expect(second).toHaveTextContent('Plain, with a literal <think> tag inside.');
    expect(second.querySelector('details')).toBeNull();
  });

  it('says the reasoning was cut off when an answer stopped while the model was still thinking', async () => {
    const { fake, id, user } = await ask('Long one');
    act(() => fake.delta(id, '<think>step one, step two'));
    await frame();
    await user.click(screen.getByRole('button', { name: 'Stop' }));
    const stopped = await screen.findByRole('article', { name: 'Answer' });
    expect(within(stopped).getByText('Reasoning (cut off)')).toBeInTheDocument();
    expect(stopped).toHaveTextContent('step one, step two');
  });
});
