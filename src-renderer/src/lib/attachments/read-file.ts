// Reads a chosen file into the prompt's text on this computer (issue 14, Read): text and source
// files through the File API as UTF-8, PDFs through pdf.js (pdf-text.ts). Nothing leaves the
// window until the message is sent, and then only through main, encrypted to the node. A file that
// cannot be attached gets a problem the chip words (AttachmentProblem).
import { ATTACHMENT_LIMITS, attachmentTokens, type AttachmentInput } from '../../../../src-shared/read/attachments';
import type { AttachmentProblem } from '../../../../src-shared/vocabulary';
import { classifyFile } from './classify';

export type ReadResult = { ok: true; file: AttachmentInput; tokens: number } | { ok: false; problem: AttachmentProblem };

const utf8 = () => new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Text the file holds as UTF-8, or a problem: not UTF-8 or with NUL bytes is `binary`. */
function decodeText(bytes: ArrayBuffer): { text: string } | { problem: AttachmentProblem } {
  let text: string;
  try {
    text = utf8().decode(bytes);
  } catch {
    return { problem: 'binary' };
  }
  if (text.includes('\u0000')) return { problem: 'binary' };
  return { text: text.replace(/\r\n?/g, '\n') };
}

async function bytesOf(file: Blob): Promise<ArrayBuffer | null> {
  try {
    return await file.arrayBuffer();
  } catch {
    return null; // gone, moved, or not ours to read
  }
}

export async function readAttachment(file: File): Promise<ReadResult> {
  const kind = classifyFile(file);
  if (kind === 'image') return { ok: false, problem: 'image' };
  const limit = kind === 'pdf' ? ATTACHMENT_LIMITS.maxPdfBytes : ATTACHMENT_LIMITS.maxTextFileBytes;
  if (file.size > limit) return { ok: false, problem: 'too_big' };
  if (file.size === 0) return { ok: false, problem: 'empty' };
  const bytes = await bytesOf(file);
  if (bytes === null) return { ok: false, problem: 'unreadable' };

  let text: string;
  if (kind === 'pdf') {
    const { pdfText, PdfPasswordError } = await import('./pdf-text');
    try {
      text = await pdfText(bytes);
    } catch (error) {
      return { ok: false, problem: error instanceof PdfPasswordError ? 'encrypted_pdf' : 'unreadable' };
    }
  } else {
    const decoded = decodeText(bytes);
    if ('problem' in decoded) return { ok: false, problem: kind === 'unknown' ? 'unsupported' : decoded.problem };
    text = decoded.text;
  }
  if (text.trim().length === 0) return { ok: false, problem: 'empty' };
  if (text.length > ATTACHMENT_LIMITS.maxTextChars) return { ok: false, problem: 'too_big' };
  const name = (file.name.trim() || 'file').slice(0, ATTACHMENT_LIMITS.maxNameChars);
  const input: AttachmentInput = { name, kind: kind === 'unknown' ? 'text' : kind, bytes: file.size, text };
  return { ok: true, file: input, tokens: attachmentTokens(input) };
}
