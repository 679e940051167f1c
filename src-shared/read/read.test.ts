// Read (issue 14): how files are composed into a user message (§2.3.7), what they cost by the
// node's estimate (§2.3.1), whether a prompt fits its tier, what `chat:send` takes, and how an
// answer's reasoning is told from the answer (§2.3.6).
import { describe, expect, it } from 'vitest';
import { invokeChannels } from '../ipc/contract';
import { INNER_REQUEST_LIMITS } from '../protocol/constants';
import { estimatePromptTokens, estimateTextTokens } from '../protocol/prompt-estimate';
import { ATTACHMENT_LIMITS, attachmentBlock, attachmentPartOf, attachmentTokens, composeUserContent, typedTextOf, withTypedText } from './attachments';
import { promptFit } from './prompt-fit';
import { answerWithoutReasoning, splitReasoning } from './reasoning';

const notes = { name: 'notes.txt', kind: 'text' as const, bytes: 12, text: 'line one\nline two' };
const code = { name: 'main.ts', kind: 'code' as const, bytes: 20, text: 'export const x = 1;' };

describe('composing a user message with files (§2.3.7)', () => {
  it('puts each file in a <file> block, in order, then the typed text', () => {
    const { content, attachments } = composeUserContent('What do these do?', [notes, code]);
    expect(content).toBe(
      '<file name="notes.txt" kind="text">\nline one\nline two\n</file>\n\n<file name="main.ts" kind="code">\nexport const x = 1;\n</file>\n\nWhat do these do?',
    );
    expect(attachments).toEqual([
      { name: 'notes.txt', kind: 'text', bytes: 12, tokens: estimateTextTokens(attachmentBlock(notes).length + 2), chars: attachmentBlock(notes).length },
      { name: 'main.ts', kind: 'code', bytes: 20, tokens: attachmentTokens(code), chars: attachmentBlock(code).length },
    ]);
    // The record keeps no second copy of the text.
    expect(JSON.stringify(attachments)).not.toContain('line one');
  });

  it('tells the typed text from the files, for showing and editing, with and without typed text', () => {
    const both = composeUserContent('Summarise.', [notes, code]);
    expect(typedTextOf(both.content, both.attachments)).toBe('Summarise.');
    expect(attachmentPartOf(both.content, both.attachments) + 'Edited.').toBe(composeUserContent('Edited.', [notes, code]).content);
    expect(withTypedText(both.content, both.attachments, 'Edited.')).toBe(composeUserContent('Edited.', [notes, code]).content);
    const filesOnly = composeUserContent('', [notes]);
    expect(filesOnly.content).toBe(attachmentBlock(notes));
    expect(typedTextOf(filesOnly.content, filesOnly.attachments)).toBe('');
    expect(withTypedText(filesOnly.content, filesOnly.attachments, 'Now a question')).toBe(composeUserContent('Now a question', [notes]).content);
    expect(withTypedText('no files', undefined, 'replaced')).toBe('replaced');
    // A content that does not hold what its record names is shown whole.
    expect(typedTextOf('just text', both.attachments)).toBe('just text');
    expect(typedTextOf('plain', undefined)).toBe('plain');
  });

  it('keeps a file name from breaking out of its header line', () => {
    expect(attachmentBlock({ name: 'a"b<c>\nd.txt', kind: 'text', text: 'x' })).toBe('<file name="a_b_c__d.txt" kind="text">\nx\n</file>');
  });
});

describe('the token estimate is the node admission rule (§2.3.1)', () => {
  it('is ⌈characters / 4⌉ (+ 4 per message for a prompt)', () => {
    expect(estimateTextTokens(0)).toBe(0);
    expect(estimateTextTokens(1)).toBe(1);
    expect(estimateTextTokens(8)).toBe(2);
    expect(estimateTextTokens(9)).toBe(3);
    expect(estimatePromptTokens(9, 2)).toBe(3 + 8);
  });

  it('says whether a prompt fits its tier, leaving the answer its 1024 tokens (§5.3)', () => {
    const room8k = 8192 - 1024;
    const justFits = 'x'.repeat((room8k - 4) * 4); // one message: + 4
    expect(promptFit('8k-fast', [justFits])).toMatchObject({ tokens: room8k, room: room8k, fits: true });
    expect(promptFit('8k-fast', [justFits + 'x'])).toMatchObject({ tokens: room8k + 1, fits: false });
    expect(promptFit('64k-full', [justFits + 'x'])).toMatchObject({ room: 65536 - 1024, fits: true });
  });

  it('holds a prompt over the node content limit in UTF-8 bytes even when its tokens fit', () => {
    const cjk = '字'.repeat(INNER_REQUEST_LIMITS.maxContentUtf8Bytes / 3 + 1);
    const fit = promptFit('64k-full', [cjk]);
    expect(fit.tokens).toBeLessThan(fit.room);
    expect(fit).toMatchObject({ bytes: cjk.length * 3, bytesLimit: 524_288, fits: false });
  });
});

describe('chat:send takes bounded attachments', () => {
  const send = invokeChannels['chat:send'].request;
  const base = { conversationId: 'c1', content: 'Hi' };

  it('takes up to 8 files of text, and files without typed text', () => {
    expect(send.safeParse({ ...base, attachments: [notes] }).success).toBe(true);
    expect(send.safeParse({ ...base, content: '  ', attachments: [notes] }).success).toBe(true);
    expect(send.safeParse({ ...base, attachments: Array.from({ length: ATTACHMENT_LIMITS.maxFiles }, () => notes) }).success).toBe(true);
  });

  it.each([
    ['no text and no files', { ...base, content: ' ' }],
    ['an empty file list', { ...base, attachments: [] }],
    ['nine files', { ...base, attachments: Array.from({ length: 9 }, () => notes) }],
    ['a file with no text', { ...base, attachments: [{ ...notes, text: '' }] }],
    ['a file over 256 Ki characters', { ...base, attachments: [{ ...notes, text: 'x'.repeat(ATTACHMENT_LIMITS.maxTextChars + 1) }] }],
    ['an image', { ...base, attachments: [{ ...notes, kind: 'image' }] }],
    ['a file without a name', { ...base, attachments: [{ ...notes, name: ' ' }] }],
    ['an unknown key', { ...base, attachments: [{ ...notes, path: '/etc/passwd' }] }],
  ])('refuses %s', (_, request) => {
    expect(send.safeParse(request).success).toBe(false);
  });
});

describe('reasoning in an answer (§2.3.6)', () => {
  it.each([
    ['<think>\nplan\n</think>\n\nParis.', { reasoning: 'plan', open: false, answer: 'Paris.' }],
    ['  <THINK>plan</THINK>Paris.', { reasoning: 'plan', open: false, answer: 'Paris.' }],
    ['<think>\n\n</think>\n\nParis.', { reasoning: '', open: false, answer: 'Paris.' }],
    ['<think>still going', { reasoning: 'still going', open: true, answer: '' }],
    ['<think>still going</thi', { reasoning: 'still going', open: true, answer: '' }],
    ['<thi', { reasoning: '', open: true, answer: '' }],
    ['opened by the template\n</think>\nParis.', { reasoning: 'opened by the template', open: false, answer: 'Paris.' }],
    ['Paris. Use <think> tags like <think>x</think>.', { reasoning: null, open: false, answer: 'Paris. Use <think> tags like <think>x</think>.' }],
    ['Paris.', { reasoning: null, open: false, answer: 'Paris.' }],
    ['<b>bold</b>', { reasoning: null, open: false, answer: '<b>bold</b>' }],
  ])('%j', (text, split) => {
    expect(splitReasoning(text)).toEqual(split);
  });

  it('copies and sends on the answer without its reasoning', () => {
    expect(answerWithoutReasoning('<think>plan</think>\n\nParis.')).toBe('Paris.');
    expect(answerWithoutReasoning('Paris.')).toBe('Paris.');
  });
});
