// Attachments (issue 14, Read): files the window read into a prompt as text. The window reads
// them (text and code through the File API, PDFs through pdf.js) and sends their text with
// `chat:send`; the backend composes the user message from the files and the typed text
// (docs/protocol.md §2.3.7) and keeps a short record of each file on the message, so the chat shows
// its chips again. The node sees one ordinary text message (§2.3.1); nothing on the wire changes.
import { INNER_REQUEST_LIMITS } from '../protocol/constants';
import { utf8ByteLength } from '../protocol/utf8';
import { estimateTextTokens } from '../protocol/prompt-estimate';
import type { AttachmentKind } from '../vocabulary';

/** A file as `chat:send` carries it (attachment-schemas.ts checks it): name, kind, size on disk, the text read. */
export interface AttachmentInput {
  name: string;
  kind: AttachmentKind;
  bytes: number;
  text: string;
}

/** What a user message keeps of a file (attachment-schemas.ts): not its text, which the content holds once. */
export interface AttachmentMeta {
  name: string;
  kind: AttachmentKind;
  bytes: number;
  tokens: number;
  /** The length of the file's block in the content (§2.3.7), to tell the typed text from the files. */
  chars: number;
}

export const ATTACHMENT_LIMITS = {
  /** Files on one message. */
  maxFiles: 8,
  maxNameChars: 255,
  /** A text or source file read whole (larger ones are refused before reading). */
  maxTextFileBytes: 1024 * 1024,
  /** A PDF file (its text is usually far smaller). */
  maxPdfBytes: 20 * 1024 * 1024,
  /** Text of one file: a node takes 524,288 UTF-8 bytes of content in all (§2.3.1 step 4). */
  maxTextChars: 256 * 1024,
} as const;

/** Characters a name may not carry inside the block's header line. */
const UNSAFE_NAME = /["<>\p{Cc}]/gu;
const SEPARATOR = '\n\n';

/** One file's block in a user message (§2.3.7): `<file name="…" kind="…">`, the text, `</file>`. */
export function attachmentBlock(file: { name: string; kind: AttachmentKind; text: string }): string {
  const name = file.name.replace(UNSAFE_NAME, '_');
  return `<file name="${name}" kind="${file.kind}">\n${file.text}\n</file>`;
}

/** The estimate (§2.3.1) of what a file adds to a prompt: its block and the separator after it. */
export function attachmentTokens(file: { name: string; kind: AttachmentKind; text: string }): number {
  return estimateTextTokens(attachmentBlock(file).length + SEPARATOR.length);
}

/** The user message's content (§2.3.7): every file's block, in order, then the typed text. */
export function composeUserContent(typed: string, files: readonly AttachmentInput[]): { content: string; attachments: AttachmentMeta[] } {
  const blocks = files.map((f) => attachmentBlock(f));
  const attachments = files.map((f, i) => ({
    name: f.name,
    kind: f.kind,
    bytes: f.bytes,
    tokens: estimateTextTokens(blocks[i]!.length + SEPARATOR.length),
    chars: blocks[i]!.length,
  }));
  const content = [...blocks, ...(typed.length > 0 ? [typed] : [])].join(SEPARATOR);
  return { content, attachments };
}

/**
 * The typed text of a composed user message: what follows the files' blocks. A content that does
 * not hold the blocks its record names (an imported or edited file) is shown whole.
 */
export function typedTextOf(content: string, attachments: readonly AttachmentMeta[] | undefined): string {
  if (!attachments || attachments.length === 0) return content;
  let at = 0;
  for (const a of attachments) {
    if (!content.startsWith('<file ', at) || !content.startsWith('</file>', at + a.chars - '</file>'.length)) return content;
    at += a.chars;
    if (content.startsWith(SEPARATOR, at)) at += SEPARATOR.length;
  }
  return content.slice(at);
}

/** The files' blocks of a composed user message (with their separators): what an edit keeps. */
export function attachmentPartOf(content: string, attachments: readonly AttachmentMeta[] | undefined): string {
  const typed = typedTextOf(content, attachments);
  return typed === content ? '' : content.slice(0, content.length - typed.length);
}

/** The content with its typed text replaced and its files kept (an edit, §2.3.7). */
export function withTypedText(content: string, attachments: readonly AttachmentMeta[] | undefined, typed: string): string {
  const files = attachmentPartOf(content, attachments).replace(/\n\n$/, '');
  if (!files) return typed;
  return typed ? `${files}${SEPARATOR}${typed}` : files;
}

/** Does a whole prompt fit a node's content limit (§2.3.1 step 4: 524,288 UTF-8 bytes)? */
export function fitsContentLimit(texts: readonly string[]): { bytes: number; limit: number; fits: boolean } {
  const bytes = texts.reduce((sum, t) => sum + utf8ByteLength(t), 0);
  return { bytes, limit: INNER_REQUEST_LIMITS.maxContentUtf8Bytes, fits: bytes <= INNER_REQUEST_LIMITS.maxContentUtf8Bytes };
}
