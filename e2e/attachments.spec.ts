// Attachments and reasoning (issue 14, Read) in the production window through the real backend
// (the built-in relay, this computer's node with the test provider): a text file and a PDF made
// here are read on this computer (the PDF by pdf.js, loaded on demand under the app's CSP — no
// worker, no eval; the fixture fails the test on any CSP violation), shown as chips with their
// token estimate (a PDF behind a password and an image are refused, saying why); a file too large for the chat's 8k tier is held back before sending; the message
// goes out with both files and the answer's reasoning (§2.3.6) arrives collapsed.
import type { Page } from '@playwright/test';
import { expect, lastAnswer, newChat, test } from './support/app';
import { scan } from './support/axe';
import { shot } from './support/shots';
import { setTheme } from './support/theme';

/**
 * A one-page PDF whose text is `lines` (Helvetica, no embedded font), with a correct xref table;
 * `locked`: with a standard security handler whose user password is not empty (its /U entry
 * matches no password here), so a reader must ask for one.
 */
function pdfWithText(lines: string[], locked = false): Buffer {
  const escape = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`);
  const stream = `BT /F1 14 Tf 72 720 Td 18 TL ${lines.map((l) => `(${escape(l)}) Tj T*`).join(' ')} ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    ...(locked ? [`<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <${'ab'.repeat(32)}> /U <${'cd'.repeat(32)}> >>`] : []),
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  const encrypt = locked ? ` /Encrypt 6 0 R /ID [<${'01'.repeat(16)}> <${'01'.repeat(16)}>]` : '';
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${encrypt} >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const NOTES = 'Relay notes\n- the relay sees only ciphertext\n- nodes answer encrypted\n';
const PDF_LINES = ['Encrypted relays in practice', 'The PDF says the relay is blind.'];
const REASONED = '<think>\nTwo files: notes on the relay and a paper about it. Both say the relay cannot read.\n</think>\n\nBoth files say the **relay only sees ciphertext**.';

/** What the node was asked last, to check that the files went out in the prompt. */
const asked: string[] = [];
const answer = (req: { messages: { role: string; content: string }[] }) => {
  asked.push(req.messages.at(-1)?.content ?? '');
  return REASONED;
};

const loadedScripts = (page: Page) => page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.js')));
const chips = (page: Page) => page.getByRole('list', { name: 'Files for this message' });
const attach = async (page: Page, files: { name: string; mimeType: string; buffer: Buffer }[]) => {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Attach files' }).click()]);
  await chooser.setFiles(files);
};

test.describe('attachments and reasoning', () => {
  test.use({ bridgeOptions: { provider: { answer, tokenDelayMs: 5 } } });

  test('a text file and a PDF as chips, too large held back, sent, and the reasoning collapsed; axe light and dark', async ({ app }, info) => {
    test.setTimeout(180_000);
    await newChat(app);
    const before = await loadedScripts(app);

    await attach(app, [
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from(NOTES) },
      { name: 'paper.pdf', mimeType: 'application/pdf', buffer: pdfWithText(PDF_LINES) },
      { name: 'diagram.png', mimeType: 'image/png', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
      { name: 'locked.pdf', mimeType: 'application/pdf', buffer: pdfWithText(['secret'], true) },
    ]);
    const notes = chips(app).getByRole('listitem').filter({ hasText: 'notes.txt' });
    await expect(notes).toContainText(`${NOTES.length} bytes · about`);
    await expect(notes).toContainText(/about \d+ tokens/);
    const paper = chips(app).getByRole('listitem').filter({ hasText: 'paper.pdf' });
    await expect(paper).toContainText(/PDF.*bytes · about \d+ tokens/, { timeout: 20_000 });
    await expect(chips(app).getByRole('listitem').filter({ hasText: 'diagram.png' })).toContainText('This node cannot take images: it is not sent.');
    await expect(chips(app).getByRole('listitem').filter({ hasText: 'locked.pdf' })).toContainText(
      'locked.pdf: not attachedProtected by a password. Save a copy without the password and attach that.',
    );
    // pdf.js came in chunks of its own, when the PDF was attached.
    const after = await loadedScripts(app);
    expect(after.filter((s) => /pdf/.test(s)).length, 'pdf.js loaded on demand').toBeGreaterThanOrEqual(2);
    expect(before.some((s) => /pdf/.test(s))).toBe(false);
    await expect(app.getByText(/Files: about \d+ tokens · the 8k · fast context has room for 7,168/)).toBeVisible();

    // A file too large for the 8k tier (this computer's node offers no larger one): held back before sending.
    await attach(app, [{ name: 'book.txt', mimeType: 'text/plain', buffer: Buffer.from('A long chapter. '.repeat(2500)) }]);
    const warning = app.getByRole('alert').filter({ hasText: 'Too large' });
    await expect(warning).toHaveText(/Too large for the 8k · fast context: about 1\d,\d{3} tokens, and it has room for 7,168\. Remove a file, or attach a shorter one\./);
    await expect(app.getByRole('button', { name: 'Send message' })).toBeDisabled();
    for (const theme of ['Light', 'Dark'] as const) {
      await setTheme(app, theme);
      await scan(app, info, `attachments-composer-${theme}`);
      await shot(app, info, `attachments-composer-${theme.toLowerCase()}`);
    }
    await app.getByRole('button', { name: 'Remove book.txt' }).click();
    await expect(warning).toHaveCount(0);

    const box = app.getByRole('textbox', { name: 'Message' });
    await box.fill('What do these say about the relay?');
    await box.press('Enter');
    await expect(chips(app)).toHaveCount(0);
    const question = app.locator('article.msg--user').last();
    await expect(question.getByRole('list', { name: 'Attached files' }).getByRole('listitem')).toHaveText([/notes\.txt/, /paper\.pdf/]);
    await expect(question).toContainText('What do these say about the relay?');
    await expect(question).not.toContainText('ciphertext');

    const reply = lastAnswer(app);
    await expect(reply).toHaveAttribute('aria-busy', 'false', { timeout: 20_000 });
    await expect(reply.locator('strong')).toHaveText('relay only sees ciphertext');
    const summary = reply.getByText('Reasoning', { exact: true });
    await expect(summary).toBeVisible();
    await expect(reply.getByText(/Two files: notes on the relay/)).toBeHidden();
    // The prompt held both files' text (the PDF's read by pdf.js) and the question last; the image stayed here.
    const prompt = asked.at(-1)!;
    expect(prompt).toContain('<file name="notes.txt" kind="text">\nRelay notes');
    expect(prompt).toMatch(/<file name="paper\.pdf" kind="pdf">\nEncrypted relays in practice\s+The PDF says the relay is blind\.\n<\/file>/);
    expect(prompt.endsWith('\n\nWhat do these say about the relay?')).toBe(true);
    expect(prompt).not.toContain('diagram.png');

    await shot(app, info, 'attachments-reasoning-collapsed');
    // The disclosure opens from the keyboard.
    await summary.focus();
    await app.keyboard.press('Enter');
    await expect(reply.getByText(/Two files: notes on the relay/)).toBeVisible();
    // Copy takes the answer without its reasoning.
    await reply.getByRole('button', { name: 'Copy message' }).click();
    expect(await app.evaluate(() => navigator.clipboard.readText())).toBe('Both files say the **relay only sees ciphertext**.');

    for (const theme of ['Light', 'Dark'] as const) {
      await setTheme(app, theme);
      await scan(app, info, `attachments-sent-${theme}`);
      await shot(app, info, `attachments-sent-${theme.toLowerCase()}`);
    }
  });
});
