// Words of attachments (issue 14, Read): what kind of file was read into a prompt, and why a file
// could not be attached. The window words each through its `read` namespace.
import { z } from 'zod';

/** A file read into the prompt as text: a text file, a source file, or the text of a PDF. */
export const AttachmentKindSchema = z.enum(['text', 'code', 'pdf']);
export type AttachmentKind = z.infer<typeof AttachmentKindSchema>;
export const ATTACHMENT_KINDS = AttachmentKindSchema.options;

/**
 * Why a file the user chose is not attached: `image` (nodes take text only, §2.3.1), a kind that is
 * not text, a file that could not be read, holds no text, is too big, or a PDF behind a password.
 */
export const AttachmentProblemSchema = z.enum(['image', 'unsupported', 'unreadable', 'binary', 'empty', 'too_big', 'encrypted_pdf', 'too_many']);
export type AttachmentProblem = z.infer<typeof AttachmentProblemSchema>;
