// The zod schemas of attachments (issue 14, Read; docs/protocol.md §2.3.7) for the IPC contract and
// the conversation file. Apart from attachments.ts, so that the window's helpers carry no schemas.
import { z } from 'zod';
import { AttachmentKindSchema } from '../vocabulary';
import { ATTACHMENT_LIMITS, type AttachmentInput, type AttachmentMeta } from './attachments';

const Name = z.string().trim().min(1).max(ATTACHMENT_LIMITS.maxNameChars);

/** A file as `chat:send` carries it: its name, kind, size on disk and the text read from it. */
export const AttachmentInputSchema = z.strictObject({
  name: Name,
  kind: AttachmentKindSchema,
  bytes: z.int().min(1).max(ATTACHMENT_LIMITS.maxPdfBytes),
  text: z.string().min(1).max(ATTACHMENT_LIMITS.maxTextChars),
});

export const AttachmentInputsSchema = z.array(AttachmentInputSchema).min(1).max(ATTACHMENT_LIMITS.maxFiles);

/**
 * What a user message keeps of a file: not its text, which the message's content holds once.
 * `chars` is the length of the file's block in the content (§2.3.7), so the typed text can be told
 * apart from the files for showing and editing.
 */
export const AttachmentMetaSchema = z.object({
  name: Name,
  kind: AttachmentKindSchema,
  bytes: z.int().nonnegative(),
  tokens: z.int().nonnegative(),
  chars: z.int().nonnegative(),
});

// The schemas and the interfaces of attachments.ts describe the same shapes (a compile-time check).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
true satisfies Same<z.infer<typeof AttachmentInputSchema>, AttachmentInput>;
true satisfies Same<z.infer<typeof AttachmentMetaSchema>, AttachmentMeta>;
