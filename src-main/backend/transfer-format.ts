// Export and import of conversations: JSON (lossless) and Markdown (readable, and re-importable
// because each conversation and message starts with a `<!-- tokenplace:... -->` marker line).
import { z } from 'zod';
import { ConversationSchema, type Conversation } from '../../src-shared/ipc/contract';
import { BadRequestError } from './errors';

const JSON_FORMAT = 'tokenplace-conversations';
const ExportFileSchema = z.object({ format: z.literal(JSON_FORMAT), version: z.literal(1), conversations: z.array(ConversationSchema) });

export function exportJson(conversations: Conversation[], now: number): string {
  return `${JSON.stringify({ format: JSON_FORMAT, version: 1, exportedAt: new Date(now).toISOString(), conversations }, null, 2)}\n`;
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

export function exportMarkdown(conversations: Conversation[]): string {
  const parts: string[] = [];
  for (const c of conversations) {
    const header = { title: c.title, createdAt: c.createdAt, updatedAt: c.updatedAt, model: c.model, contextTier: c.contextTier };
    parts.push(`<!-- tokenplace:conversation ${JSON.stringify(header)} -->`, `# ${c.title.replace(/\n/g, ' ')}`, '');
    if (c.systemPrompt) parts.push('<!-- tokenplace:system -->', c.systemPrompt, '');
    for (const m of c.messages) {
      parts.push(`<!-- tokenplace:message ${JSON.stringify({ role: m.role, createdAt: m.createdAt, status: m.status })} -->`);
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

/** Accepts our export file, a bare array of conversations, or one conversation. */
export function importJson(text: string): Conversation[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BadRequestError('The file is not valid JSON.');
  }
  const file = ExportFileSchema.safeParse(value);
  if (file.success) return file.data.conversations;
  const list = z.array(ConversationSchema).safeParse(value);
  if (list.success) return list.data;
  const one = ConversationSchema.safeParse(value);
  if (one.success) return [one.data];
  throw new BadRequestError('The JSON file does not hold conversations exported by token.place.');
}
