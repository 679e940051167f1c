// Export and import of conversations: JSON (lossless: version 2 keeps every branch of each
// conversation's tree, version 1 held the shown path only) and Markdown (the shown path; readable,
// and re-importable because each conversation and message starts with a `<!-- tokenplace:... -->`
// marker line). A Markdown copy for the clipboard leaves the marker lines out.
import { z } from 'zod';
import { ConversationSchema, ConversationTreeSchema, type Conversation, type ConversationTree } from '../../src-shared/ipc/contract';
import { treeProblem, treeWithPath } from '../storage';
import { BadRequestError } from './errors';

const JSON_FORMAT = 'tokenplace-conversations';
const ExportFileV1Schema = z.object({ format: z.literal(JSON_FORMAT), version: z.literal(1), conversations: z.array(ConversationSchema) });
const ExportFileSchema = z.object({ format: z.literal(JSON_FORMAT), version: z.literal(2), conversations: z.array(ConversationTreeSchema) });

export function exportJson(conversations: ConversationTree[], now: number): string {
  return `${JSON.stringify({ format: JSON_FORMAT, version: 2, exportedAt: new Date(now).toISOString(), conversations }, null, 2)}\n`;
}

const CONVERSATION_MARK = /^<!-- tokenplace:conversation (\{.*\}) -->$/;
const MESSAGE_MARK = /^<!-- tokenplace:message (\{.*\}) -->$/;
const ConversationHeaderSchema = z.object({
  title: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  model: z.string().optional(),
  contextTier: ConversationSchema.shape.contextTier,
});
const MessageHeaderSchema = z.object({ role: z.enum(['user', 'assistant']), createdAt: z.number(), status: ConversationSchema.shape.messages.element.shape.status });

function roleHeading(role: 'user' | 'assistant'): string {
  return role === 'user' ? '### You' : '### Assistant';
}

/** The shown path of each conversation; `markers: false` (a copy to paste elsewhere) leaves out the lines import reads. */
export function exportMarkdown(conversations: Conversation[], { markers = true }: { markers?: boolean } = {}): string {
  const parts: string[] = [];
  const mark = (line: string) => markers && parts.push(line);
  for (const c of conversations) {
    const header = { title: c.title, createdAt: c.createdAt, updatedAt: c.updatedAt, model: c.model, contextTier: c.contextTier };
    mark(`<!-- tokenplace:conversation ${JSON.stringify(header)} -->`);
    parts.push(`# ${c.title.replace(/\n/g, ' ')}`, '');
    if (c.systemPrompt) {
      mark('<!-- tokenplace:system -->');
      parts.push(markers ? c.systemPrompt : `> ${c.systemPrompt.replace(/\n/g, '\n> ')}`, '');
    }
    for (const m of c.messages) {
      mark(`<!-- tokenplace:message ${JSON.stringify({ role: m.role, createdAt: m.createdAt, status: m.status })} -->`);
      parts.push(roleHeading(m.role), '', m.content, '');
    }
  }
  return parts.join('\n');
}

interface Draft {
  header: z.infer<typeof ConversationHeaderSchema>;
  system: string[] | null;
  messages: { header: z.infer<typeof MessageHeaderSchema>; lines: string[] }[];
}

/** Parses Markdown written by exportMarkdown(). Conversations get fresh ids from `newId`. */
export function importMarkdown(text: string, newId: () => string): Conversation[] {
  const drafts: Draft[] = [];
  let current: Draft | null = null;
  let target: string[] | null = null;
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    const conv = CONVERSATION_MARK.exec(line);
    if (conv) {
      current = { header: parseHeader(ConversationHeaderSchema, conv[1]), system: null, messages: [] };
      drafts.push(current);
      target = null;
      continue;
    }
    if (!current) continue;
    if (line === '<!-- tokenplace:system -->') {
      current.system = [];
      target = current.system;
      continue;
    }
    const msg = MESSAGE_MARK.exec(line);
    if (msg) {
      const lines: string[] = [];
      current.messages.push({ header: parseHeader(MessageHeaderSchema, msg[1]), lines });
      target = lines;
      continue;
    }
    target?.push(line);
  }
  if (drafts.length === 0) throw new BadRequestError('This Markdown file holds no conversations exported by token.place.');
  return drafts.map((d) => {
    const messages = d.messages.map((m, i) => {
      // Each message block is "### Role", "", content..., "" — strip the heading and the padding.
      const lines = m.lines[0] === roleHeading(m.header.role) ? m.lines.slice(2) : m.lines;
      return {
        id: `m${i + 1}`,
        role: m.header.role,
        content: trimTrailingBlank(lines).join('\n'),
        createdAt: m.header.createdAt,
        status: m.header.status === 'pending' ? ('stopped' as const) : m.header.status,
      };
    });
    return ConversationSchema.parse({
      id: newId(),
      ...d.header,
      systemPrompt: d.system ? trimTrailingBlank(d.system).join('\n') : '',
      messageCount: messages.length,
      messages,
    });
  });
}

function trimTrailingBlank(lines: string[]): string[] {
  let end = lines.length;
  if (end > 0 && lines[end - 1] === '') end--;
  return lines.slice(0, end);
}

function parseHeader<S extends z.ZodType>(schema: S, raw: string | undefined): z.output<S> {
  try {
    return schema.parse(JSON.parse(raw ?? '')) as z.output<S>;
  } catch {
    throw new BadRequestError('The Markdown file has a damaged token.place marker line.');
  }
}

/**
 * Accepts our export file (version 2: trees; version 1: shown paths), a bare array of
 * conversations, or one conversation. Every conversation comes back as a tree.
 */
export function importJson(text: string): ConversationTree[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BadRequestError('The file is not valid JSON.');
  }
  const file = ExportFileSchema.safeParse(value);
  if (file.success) return file.data.conversations.map(checkedTree);
  if (isOurs(value) && (value as { version?: unknown }).version === 2) throw new BadRequestError(problemIn(file.error));
  const old = ExportFileV1Schema.safeParse(value);
  if (old.success) return old.data.conversations.map(asTree);
  const list = z.array(ConversationSchema).safeParse(value);
  if (list.success) return list.data.map(asTree);
  const one = ConversationSchema.safeParse(value);
  if (one.success) return [asTree(one.data)];
  if (isOurs(value)) throw new BadRequestError(problemIn(old.error));
  throw new BadRequestError('The JSON file does not hold conversations exported by token.place.');
}

const isOurs = (value: unknown) => typeof value === 'object' && value !== null && (value as { format?: unknown }).format === JSON_FORMAT;
const asTree = (c: Conversation): ConversationTree => treeWithPath(undefined, c);

function checkedTree(tree: ConversationTree, index: number): ConversationTree {
  const problem = treeProblem(tree.messages, tree.activeLeafId);
  if (problem) throw new BadRequestError(`The file is damaged: in chat ${index + 1}, ${problem}.`);
  return tree;
}

/** Words for the parts of a conversation, so that a bad file's error says what is wrong in plain terms. */
const PART_WORDS: Record<string, string> = {
  id: 'its id',
  title: 'its title',
  createdAt: 'its time',
  updatedAt: 'its time of last change',
  messageCount: 'its number of messages',
  systemPrompt: 'its system prompt',
  contextTier: 'its context size',
  messages: 'its messages',
  activeLeafId: 'which message it shows last',
  role: 'who wrote it (user or assistant)',
  content: 'its text',
  status: 'its status',
  parentId: 'which message it follows',
  meta: 'how it was answered',
  error: 'its error',
};

/** The first problem of a bad export file, e.g. "in chat 1, message 3: its text is missing or wrong". */
function problemIn(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'The file is damaged.';
  const [top, chat, part, message, field] = issue.path;
  if (top !== 'conversations' || typeof chat !== 'number') return 'The file is damaged: it holds no list of chats.';
  const where = `in chat ${chat + 1}`;
  if (part === 'messages' && typeof message === 'number') {
    const what = typeof field === 'string' ? (PART_WORDS[field] ?? 'part of it') : 'it';
    return `The file is damaged: ${where}, message ${message + 1}: ${what} is missing or wrong.`;
  }
  const what = typeof part === 'string' ? (PART_WORDS[part] ?? 'a part of it') : 'the chat';
  return `The file is damaged: ${where}, ${what} is missing or wrong.`;
}
