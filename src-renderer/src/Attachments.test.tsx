// Attachments in the composer (issue 14, Read): files read on this computer become chips with
// name, size and the node's token estimate (§2.3.1); a prompt too large for the chat's tier is
// held back before sending, saying the size, the room and what to do; images and bad files get a
// chip that says why and what to do, and are not sent; the sent message shows its chips again.
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setApi } from './api/api';
import { installFake, renderApp } from '../../test-support/renderer/harness';
import { attachmentTokens } from '../../src-shared/read/attachments';

const pdf = vi.hoisted(() => ({ text: 'Page one of the paper.\n\nPage two.', password: false }));
vi.mock('./lib/attachments/pdf-text', () => {
  class PdfPasswordError extends Error {}
  class PdfUnreadableError extends Error {}
  return {
    PdfPasswordError,
    PdfUnreadableError,
    pdfText: async () => {
      if (pdf.password) throw new PdfPasswordError();
      return pdf.text;
    },
  };
});

afterEach(() => setApi(undefined));

const composer = () => screen.getByRole('textbox', { name: 'Message' });
const fileInput = () => document.querySelector<HTMLInputElement>('form[aria-label] input[type="file"]')!;
const chips = () => screen.getByRole('list', { name: 'Files for this message' });
const chip = (name: string | RegExp) => within(chips()).getByText(name).closest('li')!;
const sendButton = () => screen.getByRole('button', { name: 'Send message' });

async function open(title = 'Files') {
  const fake = installFake({ answers: 'manual' });
  const c = fake.seed(title, []);
  const r = await renderApp(fake);
  await screen.findByRole('heading', { name: title });
  return { ...r, fake, c };
}

describe('attachments', () => {
  it('reads a text file into a chip with its size and estimate, sends it with the message, and shows it in history', async () => {
    const { fake, user } = await open();
    const text = 'line one\nline two\n';
    await user.upload(fileInput(), new File([text], 'notes.txt', { type: 'text/plain' }));
    const tokens = attachmentTokens({ name: 'notes.txt', kind: 'text', text });
    await waitFor(() => expect(chip('notes.txt')).toHaveTextContent(`18 bytes · about ${tokens} tokens`));
    expect(chip('notes.txt')).toHaveTextContent('Text');
    expect(screen.getByText(/Files: about \d+ tokens · the 64k · full context has room for 64,512/)).toBeInTheDocument();

    await user.type(composer(), 'What is this?{Enter}');
    const sent = fake.calls.find((c) => c.channel === 'chat:send')?.request;
    expect(sent).toEqual({ conversationId: expect.any(String), content: 'What is this?', attachments: [{ name: 'notes.txt', kind: 'text', bytes: 18, text }] });
    // The composer is empty again, and the question shows its file's chip and the typed text only.
    expect(screen.queryByRole('list', { name: 'Files for this message' })).not.toBeInTheDocument();
    const question = await screen.findByRole('article', { name: 'Your message' });
    expect(within(question).getByRole('list', { name: 'Attached files' })).toHaveTextContent('notes.txt');
    expect(within(question).getByText('What is this?')).toBeInTheDocument();
    expect(question).not.toHaveTextContent('line one');
  });

  it('sends files without typed text, and a removed file is not sent', async () => {
    const { fake, user } = await open();
    await user.upload(fileInput(), [new File(['keep me'], 'keep.md'), new File(['drop me'], 'drop.py')]);
    await waitFor(() => expect(chip('drop.py')).toHaveTextContent('Code'));
    await user.click(screen.getByRole('button', { name: 'Remove drop.py' }));
    expect(within(chips()).queryByText('drop.py')).not.toBeInTheDocument();
    expect(sendButton()).toBeEnabled();
    await user.click(sendButton());
    expect(fake.calls.find((c) => c.channel === 'chat:send')?.request).toMatchObject({ content: '', attachments: [{ name: 'keep.md', kind: 'text', text: 'keep me' }] });
  });

  it('reads a PDF (pdf.js, loaded on demand) and says what to do with one behind a password', async () => {
    const { user } = await open();
    await user.upload(fileInput(), new File([new Uint8Array([0x25, 0x50, 0x44, 0x46])], 'paper.pdf', { type: 'application/pdf' }));
    await waitFor(() => expect(chip('paper.pdf')).toHaveTextContent(/PDF.*4 bytes · about \d+ tokens/));
    pdf.password = true;
    await user.upload(fileInput(), new File([new Uint8Array([0x25, 0x50, 0x44, 0x46])], 'secret.pdf', { type: 'application/pdf' }));
    await waitFor(() => expect(chip('secret.pdf: not attached')).toHaveTextContent('Protected by a password. Save a copy without the password and attach that.'));
    pdf.password = false;
  });

  it('refuses images and bad files, each naming the file and what to do, and sends none of them', async () => {
    const { fake, user } = await open();
    const unreadable = new File(['x'], 'gone.txt');
    unreadable.arrayBuffer = () => Promise.reject(new DOMException('gone', 'NotReadableError'));
    await user.upload(fileInput(), [
      new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'photo.png', { type: 'image/png' }),
      new File([new Uint8Array([0x68, 0x00, 0x69])], 'nul.txt'),
      new File([new Uint8Array([0xff, 0xfe, 0xfd])], 'latin.log'),
      new File([new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00])], 'archive.zip'),
      new File([''], 'empty.txt'),
      new File(['   \n  '], 'blank.txt'),
      new File(['x'.repeat(1024 * 1024 + 1)], 'huge.csv'),
      unreadable,
    ]);
    const refused = (name: string) => chip(`${name}: not attached`);
    await waitFor(() => expect(refused('gone.txt')).toBeInTheDocument());
    expect(refused('photo.png')).toHaveTextContent('This node cannot take images: it is not sent.');
    expect(refused('nul.txt')).toHaveTextContent('Holds binary data, not text. Attach a text, code or PDF file.');
    expect(refused('latin.log')).toHaveTextContent('Holds binary data, not text.');
    expect(refused('archive.zip')).toHaveTextContent('Not a text file. Attach text, code or a PDF.');
    expect(refused('empty.txt')).toHaveTextContent('Holds no text to send');
    expect(refused('blank.txt')).toHaveTextContent('Holds no text to send');
    expect(refused('huge.csv')).toHaveTextContent('Too big to attach: at most 1.0 MB. Attach a shorter file.');
    expect(refused('gone.txt')).toHaveTextContent('Could not be read. Check that the file is still there and opens, then attach it again.');
    // Nothing to send but refused files: typing is needed, and the files do not go along.
    expect(sendButton()).toBeDisabled();
    await user.type(composer(), 'Hello{Enter}');
    expect(fake.calls.find((c) => c.channel === 'chat:send')?.request).toEqual({ conversationId: expect.any(String), content: 'Hello' });
  });

  it('says before sending that the prompt is too large for the chat’s tier, with the size, the room and what to do', async () => {
    const { fake, c, user } = await open();
    fake.state.conversations.get(c.id)!.contextTier = '8k-fast';
    const { useConversations } = await import('./stores/conversations');
    await act(() => useConversations.getState().open(c.id));
    await user.upload(fileInput(), new File(['word '.repeat(8000)], 'long.txt'));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/^Too large for the 8k · fast context: about 10,0\d\d tokens, and it has room for 7,168\. Remove a file, or choose 64k · full for this chat/);
    expect(sendButton()).toBeDisabled();
    expect(composer()).toHaveAccessibleDescription(/Too large for the 8k · fast context/);
    await user.type(composer(), 'Summarise{Enter}');
    expect(fake.calls.some((call) => call.channel === 'chat:send')).toBe(false);
    // Removing the file lets the message go.
    await user.click(screen.getByRole('button', { name: 'Remove long.txt' }));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    await user.click(sendButton());
    expect(fake.calls.find((call) => call.channel === 'chat:send')?.request).toEqual({ conversationId: c.id, content: 'Summarise' });
  });

  it('takes files dropped onto the composer', async () => {
    await open();
    const form = screen.getByRole('form', { name: /message/i });
    const file = new File(['dropped text'], 'dropped.txt', { type: 'text/plain' });
    const dataTransfer = { types: ['Files'], files: [file], dropEffect: 'none' };
    fireEvent.dragOver(form, { dataTransfer });
    expect(screen.getByText('Drop files here to attach them')).toBeInTheDocument();
    fireEvent.drop(form, { dataTransfer });
    await waitFor(() => expect(chip('dropped.txt')).toHaveTextContent('12 bytes'));
    expect(screen.queryByText('Drop files here to attach them')).not.toBeInTheDocument();
  });
});
