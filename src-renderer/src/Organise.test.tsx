// Organise (issue 14) in the window: Regenerate keeps versions behind ‹ 2/3 ›, an edit starts a
// branch, one message is deleted after a confirm that says what goes with it, one chat is exported
// or copied as Markdown, and one chat is imported.
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Conversation } from '../../src-shared/ipc/contract';
import { setApi } from './api/api';
import { installFake, renderApp } from '../../test-support/renderer/harness';

afterEach(() => setApi(undefined));

const answers = () => screen.getAllByRole('article', { name: 'Answer' });
const mine = () => screen.getAllByRole('article', { name: 'Your message' });

describe('versions of a message', () => {
  it('Regenerate keeps the earlier answer: ‹ › switch between them', async () => {
    const fake = installFake();
    fake.seed('Versions', [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'The first answer' },
    ]);
    const { user } = await renderApp(fake);
    await screen.findByRole('heading', { name: 'Versions' });
    expect(screen.queryByRole('group', { name: 'Versions' })).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Regenerate this answer' }));
    await waitFor(() => expect(answers().at(-1)).toHaveTextContent('You said: Hi'));
    const versions = await screen.findByRole('group', { name: 'Versions' });
    expect(within(versions).getByLabelText('Version 2 of 2')).toHaveTextContent('2/2');
    expect(within(versions).getByRole('button', { name: 'Next version' })).toBeDisabled();

    await user.click(within(versions).getByRole('button', { name: 'Previous version' }));
    await waitFor(() => expect(answers().at(-1)).toHaveTextContent('The first answer'));
    expect(screen.getByLabelText('Version 1 of 2')).toBeInTheDocument();
    expect(fake.calls.filter((c) => c.channel === 'conversations:showVersion')).toHaveLength(1);

    await user.click(screen.getByRole('button', { name: 'Next version' }));
    await waitFor(() => expect(answers().at(-1)).toHaveTextContent('You said: Hi'));
  });

  it('editing a question starts a branch; the old question and its answer stay behind ‹', async () => {
    const fake = installFake();
    fake.seed('Branch', [
      { role: 'user', content: 'Old question' },
      { role: 'assistant', content: 'Old answer' },
    ]);
    const { user } = await renderApp(fake);
    await screen.findByRole('heading', { name: 'Branch' });
    await user.click(screen.getByRole('button', { name: 'Edit this message and resend' }));
    expect(screen.getByText('Sending again starts a new version; the old one stays, behind ‹ ›.')).toBeInTheDocument();
    const field = screen.getByRole('textbox', { name: 'Edit your message' });
    await user.clear(field);
    await user.type(field, 'New question');
    await user.click(screen.getByRole('button', { name: 'Save and resend' }));
    await waitFor(() => expect(answers().at(-1)).toHaveTextContent('You said: New question'));
    expect(mine()[0]).toHaveTextContent('New question');
    expect(within(mine()[0]!).getByLabelText('Version 2 of 2')).toBeInTheDocument();

    await user.click(within(mine()[0]!).getByRole('button', { name: 'Previous version' }));
    await waitFor(() => expect(mine()[0]).toHaveTextContent('Old question'));
    expect(answers().at(-1)).toHaveTextContent('Old answer');
  });
});

describe('deleting one message', () => {
  it('asks first, says that what follows goes too, and deletes it', async () => {
    const fake = installFake();
    const c = fake.seed('Delete', [
      { role: 'user', content: 'Keep me' },
      { role: 'assistant', content: 'Kept answer' },
      { role: 'user', content: 'Delete me' },
      { role: 'assistant', content: 'Goes too' },
    ]);
    const doomed = c.messages[2]!.id;
    const { user } = await renderApp(fake);
    await screen.findByRole('heading', { name: 'Delete' });
    await user.click(within(mine()[1]!).getByRole('button', { name: 'Delete this message' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete this message?' });
    expect(dialog).toHaveAccessibleDescription('This deletes your message, its answers and everything after it, in every version of this conversation.');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(fake.calls.some((x) => x.channel === 'conversations:deleteMessage')).toBe(false);

    await user.click(within(mine()[1]!).getByRole('button', { name: 'Delete this message' }));
    await user.click(within(screen.getByRole('dialog', { name: 'Delete this message?' })).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(mine()).toHaveLength(1));
    expect(screen.queryByText('Goes too')).toBeNull();
    expect(fake.calls.find((x) => x.channel === 'conversations:deleteMessage')?.request).toEqual({ id: c.id, messageId: doomed });
    expect(screen.getByTestId('live-region')).toHaveTextContent('Message deleted.');

    await user.click(within(answers()[0]!).getByRole('button', { name: 'Delete this answer' }));
    expect(screen.getByRole('dialog', { name: 'Delete this answer?' })).toHaveAccessibleDescription('This deletes the answer. Other versions of it, if any, stay.');
  });
});

describe('one chat to a file, to the clipboard, and back', () => {
  it('exports as a web page through main and copies the conversation as Markdown', async () => {
    const fake = installFake();
    const c = fake.seed('Trip', [
      { role: 'user', content: 'Where to?' },
      { role: 'assistant', content: 'Lisbon.' },
    ]);
    const { user } = await renderApp(fake);
    await screen.findByRole('heading', { name: 'Trip' });
    await user.click(screen.getByRole('button', { name: 'Export' }));
    const dialog = screen.getByRole('dialog', { name: 'Export this chat' });
    await user.click(within(dialog).getByRole('button', { name: 'Save as Web page…' }));
    await waitFor(() => expect(screen.getByText('Saved “Trip.html”.')).toBeInTheDocument());
    expect(fake.calls.find((x) => x.channel === 'conversations:exportChat')?.request).toEqual({ id: c.id, format: 'html' });

    await user.click(screen.getByRole('button', { name: 'Export' }));
    await user.click(screen.getByRole('button', { name: 'Copy conversation as Markdown' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Copied' })).toBeInTheDocument());
    expect(await navigator.clipboard.readText()).toBe('# Trip\n\n### You\n\nWhere to?\n\n### Assistant\n\nLisbon.\n');
  });

  it('imports one chat from a file main picks and opens it', async () => {
    const chat: Conversation = {
      id: 'x',
      title: 'From a file',
      createdAt: 1,
      updatedAt: 2,
      messageCount: 1,
      systemPrompt: '',
      messages: [{ id: 'm', role: 'user', content: 'Imported question', createdAt: 1, status: 'complete' }],
    };
    const fake = installFake({ chatFile: chat });
    const { user } = await renderApp(fake);
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    await user.click(screen.getByRole('button', { name: 'Import a chat…' }));
    await screen.findByRole('heading', { name: 'From a file', level: 1 });
    expect(screen.getByText('Imported question')).toBeInTheDocument();

  });

  it('a bad chat file says what is wrong with it', async () => {
    const fake = installFake({ chatFile: new Error('The file is damaged: in chat 1, message 2: its text is missing or wrong.') });
    const { user } = await renderApp(fake);
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    await user.click(screen.getByRole('button', { name: 'Import a chat…' }));
    await waitFor(() =>
      expect(screen.getByText('Could not import the chat: The file is damaged: in chat 1, message 2: its text is missing or wrong.')).toBeInTheDocument(),
    );
  });
});
