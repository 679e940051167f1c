// The format of a conversation file (conversations/<id>.enc, sealed by sealed-box.ts) and of the
// summaries in the index cache. conversation-store.ts converts between a file and the contract's
// conversation tree (src-shared/ipc/contract.ts) in one place.
//
// Versions
//   1  what the store wrote first: no `version` field; the conversation with its flat list of
//      messages (ConversationFileV1 below, exactly as written; declared on its own, never derived,
//      because files of it exist).
//   2  the conversation as a tree (issue 14, Organise): every message names its parent
//      (`parentId`, null for the first), versions of a message share a parent, and
//      `activeLeafId` ends the path the window shows. A version-1 list reads as one path.
//      Derived from the contract's ConversationTreeSchema, so every optional field a
//      conversation or a message gains there (attachments, parameters, …) is carried to disk.
//
// Reading takes any known version and brings it up to the current one; writing always writes the
// current one. To add version N+1:
//   1. declare ConversationFileV{N+1} with `version: z.literal(N + 1)`;
//   2. write `v{N+1}FromV{N}` and route the older readers through it in READERS;
//   3. make CURRENT_VERSION N+1 and ConversationFile the new type, then fix the conversion in
//      conversation-store.ts (whatever no longer compiles), and add a fixture of version N+1's files.
// Never edit the schema of a version that has shipped: files of that version exist. (Version 2
// follows the contract's additions, which are optional fields only: older version-2 files still read.)
import { z } from 'zod';
import { ConversationTreeSchema, TreeMessageSchema } from '../../src-shared/ipc/contract';
import { treeProblem } from './conversation-tree';
import { NewerFileVersionError, TamperedDataError } from './errors';

const Id = z.string().min(1).max(128);
const Wrap = z.enum(['RSA-OAEP-SHA256', 'RSA-PKCS1v15']);

const MessageV1 = z.object({
  id: Id,
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  createdAt: z.number(),
  status: z.enum(['complete', 'pending', 'error', 'stopped']),
  meta: z
    .object({
      model: z.string(),
      relayUrl: z.string(),
      serverId: Id,
      nodeFingerprint: z.string(),
      nodeKeyChanged: z.boolean().default(false),
      // Optional additions (absent in files written before them, so those still read and rewrite
      // byte for byte): why the answer's node key was trusted, and its e2ee profile (§10).
      nodeTrust: z.enum(['own-node', 'first-use', 'confirmed', 'any-node']).optional(),
      encryption: z.object({
        profile: z.enum(['aead-v1', 'reference-cbc']).optional(),
        authenticated: z.boolean().optional(),
        symmetric: z.enum(['AES-256-CBC', 'AES-256-GCM']),
        requestWrap: Wrap,
        replyWrap: Wrap,
      }),
      finishReason: z.string().optional(),
      usage: z.object({ promptTokens: z.number().int(), completionTokens: z.number().int(), totalTokens: z.number().int() }).optional(),
      elapsedMs: z.number().nonnegative(),
      // Optional additions (§11): how the answer arrived, and when its first text did.
      delivery: z.enum(['chunks', 'snapshots', 'whole']).optional(),
      firstTextMs: z.number().nonnegative().optional(),
    })
    .optional(),
  error: z.object({ code: z.string(), message: z.string(), retryable: z.boolean() }).optional(),
});

/** A summary as the index cache (index.enc) holds it. */
export const ConversationSummaryV1 = z.object({
  id: Id,
  title: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  messageCount: z.number().int().nonnegative(),
});

/** Version 1 of the conversation file: no `version` field. */
export const ConversationFileV1 = ConversationSummaryV1.extend({
  systemPrompt: z.string(),
  model: z.string().optional(),
  contextTier: z.enum(['8k-fast', '64k-full']).optional(),
  messages: z.array(MessageV1),
});

/** A stored error keeps the code it was stored with (the store maps unknown codes when it reads). */
const StoredErrorV2 = z.object({ code: z.string(), message: z.string(), retryable: z.boolean() });
const MessageV2 = TreeMessageSchema.extend({ error: StoredErrorV2.optional() });

/** Version 2 of the conversation file: the message tree. */
export const ConversationFileV2 = ConversationTreeSchema.extend({
  version: z.literal(2),
  messages: z.array(MessageV2),
}).superRefine((file, ctx) => {
  const problem = treeProblem(file.messages, file.activeLeafId);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** The version this code writes. */
export const CURRENT_VERSION = 2;
export type ConversationFile = z.infer<typeof ConversationFileV2>;
/** What the writer accepts (defaults not applied yet). */
export type ConversationFileInput = Omit<z.input<typeof ConversationFileV2>, 'version'>;

/** A version-1 list is one path: each message follows the one before it, and the last is active. */
export function v2FromV1(file: z.infer<typeof ConversationFileV1>): ConversationFile {
  let parentId: string | null = null;
  const messages = file.messages.map((m) => {
    const node = { ...m, parentId };
    parentId = m.id;
    return node;
  });
  return { ...file, version: 2, messages, activeLeafId: parentId };
}

/** Each known version's reader: parses a file of that version and brings it to the current one. */
const READERS = new Map<number, (raw: unknown) => ConversationFile>([
  [1, (raw) => v2FromV1(ConversationFileV1.parse(raw))],
  [2, (raw) => ConversationFileV2.parse(raw)],
]);

/** The version a decrypted file declares (version 1 declares none); null when it is not a file of ours. */
function versionOf(raw: unknown): number | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  const version = (raw as { version?: unknown }).version;
  if (version === undefined) return 1;
  return typeof version === 'number' && Number.isInteger(version) && version >= 1 ? version : null;
}

/**
 * Reads a decrypted conversation file of any known version as the current version. Throws
 * NewerFileVersionError for a file of a version this code does not know yet, TamperedDataError
 * for anything that is not a valid file.
 */
export function readConversationFile(raw: unknown): ConversationFile {
  const version = versionOf(raw);
  if (version !== null && version > CURRENT_VERSION) throw new NewerFileVersionError('conversation');
  const read = version === null ? undefined : READERS.get(version);
  if (!read) throw new TamperedDataError('conversation');
  try {
    return read(raw);
  } catch (error) {
    if (error instanceof z.ZodError) throw new TamperedDataError('conversation');
    throw error;
  }
}

/** What a conversation's file holds (the current version): fields the file has no place for are dropped. */
export function conversationFileOf(conversation: ConversationFileInput): ConversationFile {
  return ConversationFileV2.parse({ ...conversation, version: CURRENT_VERSION });
}
