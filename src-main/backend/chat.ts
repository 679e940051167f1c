// chat:* — appends messages, runs one answer per conversation through the client's ChatService,
// reports phases and streamed text (§11.7) as `events:chat`, and stores the answer with its
// AnswerMeta; an answer stopped or failed mid-stream keeps the text that had arrived. Plaintext goes to
// the ChatService (which encrypts it) and to the encrypted store; never to logs.
import { errorCodeOf, ERROR_REGISTRY, type RegisteredErrorCode } from '../../src-shared/errors';
import type { AnswerMeta, ChatErrorInfo, ChatEvent, Conversation, Message } from '../../src-shared/ipc/contract';
import { composeUserContent, fitsContentLimit, withTypedText, type AttachmentInput } from '../../src-shared/read/attachments';
import { answerWithoutReasoning } from '../../src-shared/read/reasoning';
import type { KeyWrap } from '../../src-shared/vocabulary';
import { canContinue } from '../../src-shared/vocabulary/steer';
import { isChatError, type ChatMessage, type ChatOptions, type ChatService, type ChatStatus, type ServiceAnswer } from '../client';
import type { RsaPadding } from '../crypto';
import { newId } from '../storage';
import { DEFAULT_TITLE, type Conversations } from './conversations';
import { AnswerInProgressError, AttachmentsTooLargeError, MessageNotEditableError, NothingToContinueError, NothingToRegenerateError } from './errors';

interface Run {
  answerId: string;
  controller: AbortController;
  stoppedByUser: boolean;
  done: Promise<void>;
  /** The authenticated text streamed so far (§11.7): kept when the answer stops or fails. */
  partial: string;
  /** Continue (§2.3.5): the answer's text before this run; what the run writes follows it. */
  prefix: string;
  /** Whether a delta went out yet (a continuation's first one carries the prefix as a snapshot). */
  shown: boolean;
}

const WRAP: Record<RsaPadding, KeyWrap> = {
  'oaep-sha256': 'RSA-OAEP-SHA256',
  pkcs1v15: 'RSA-PKCS1v15',
};

/** A failed answer's ChatErrorInfo for an app code, in the registry's words. */
function registered(code: RegisteredErrorCode): ChatErrorInfo {
  const { message, retryable } = ERROR_REGISTRY[code];
  return { code, message, retryable };
}

export function titleFrom(content: string): string {
  const line = content.trim().split('\n')[0]?.trim() ?? '';
  return line.length > 60 ? `${line.slice(0, 57).trimEnd()}…` : line || DEFAULT_TITLE;
}

export function metaOf(answer: ServiceAnswer, elapsedMs: number): AnswerMeta {
  return {
    model: answer.model,
    relayUrl: answer.relayUrl,
    serverId: answer.serverId,
    nodeFingerprint: answer.nodeFingerprint,
    nodeTrust: answer.nodeTrust,
    nodeKeyChanged: false,
    encryption: {
      profile: answer.encryption.profile,
      authenticated: answer.encryption.authenticated,
      symmetric: answer.encryption.symmetric,
      requestWrap: WRAP[answer.encryption.requestWrap],
      replyWrap: WRAP[answer.encryption.replyWrap],
    },
    ...(answer.finishReason !== undefined && { finishReason: answer.finishReason }),
    ...(answer.usage && { usage: answer.usage }),
    elapsedMs,
    delivery: answer.delivery ?? 'whole',
    firstTextMs: answer.firstTextMs ?? elapsedMs,
  };
}

/** Why an answer failed, in the registry's words. */
export function answerErrorOf(error: unknown): ChatErrorInfo {
  if (!isChatError(error)) return registered('internal');
  // The relay ended the request because its node unregistered (stopped or crashed) mid-answer (§2.4.3).
  if (error.code === 'cancelled' && error.details?.reason === 'server_unregistered') return registered('node_stopped');
  return { code: errorCodeOf(error.code), message: error.userMessage, retryable: error.retryable };
}

/**
 * What the model sees: the system prompt, then every complete message before the answer (an
 * earlier answer without its reasoning, §2.3.6; a user message with its files, §2.3.7); for
 * Continue, the answer's text so far last, as the assistant turn to extend (docs/protocol.md §2.3.5).
 */
export function promptOf(c: Conversation, answerId: string, prefix = ''): ChatMessage[] {
  const messages: ChatMessage[] = c.systemPrompt.trim() ? [{ role: 'system', content: c.systemPrompt }] : [];
  for (const m of c.messages) {
    if (m.id === answerId) break;
    if (m.role === 'user') messages.push({ role: m.role, content: m.content });
    else if (m.status === 'complete') messages.push({ role: m.role, content: answerWithoutReasoning(m.content) });
  }
  if (prefix) messages.push({ role: 'assistant', content: prefix });
  return messages;
}

export class Chat {
  private readonly runs = new Map<string, Run>();

  constructor(
    private readonly conversations: Conversations,
    private readonly service: ChatService,
    private readonly emit: (event: ChatEvent) => void,
    private readonly now: () => number,
    /** Model for conversations that name none: the server's default or its first offered model. */
    private readonly defaultModel: () => Promise<string | undefined> = async () => undefined,
    /** Steer: the §2.3.1 options of a chat's request (only those the user set; default none). */
    private readonly requestOptions: (c: Conversation) => ChatOptions = () => ({}),
  ) {}

  private pending(): Message {
    return { id: newId(), role: 'assistant', content: '', createdAt: this.now(), status: 'pending' };
  }

  private assertIdle(conversationId: string): void {
    if (this.runs.has(conversationId)) {
      throw new AnswerInProgressError();
    }
  }

  /** `files` (Read): composed into the user message with the typed text (§2.3.7). */
  async send(conversationId: string, typed: string, files?: readonly AttachmentInput[]): Promise<{ userMessageId: string; answerId: string }> {
    this.assertIdle(conversationId);
    const { content, attachments } = composeUserContent(typed, files ?? []);
    // A node takes 512 KiB of content in all (§2.3.1 step 4); the window warns before this.
    if (attachments.length > 0 && !fitsContentLimit([content]).fits) throw new AttachmentsTooLargeError();
    const user: Message = { id: newId(), role: 'user', content, createdAt: this.now(), status: 'complete', ...(attachments.length > 0 && { attachments }) };
    const answer = this.pending();
    await this.conversations.mutate(conversationId, (c) => {
      if (c.title === DEFAULT_TITLE && !c.messages.some((m) => m.role === 'user')) c.title = titleFrom(typed || (files?.[0]?.name ?? ''));
      c.messages.push(user, answer);
    });
    this.start(conversationId, answer.id);
    return { userMessageId: user.id, answerId: answer.id };
  }

  /** Asks for the last answer again; the answer it replaces stays as an earlier version of it (Organise). */
  async regenerate(conversationId: string): Promise<{ answerId: string }> {
    this.assertIdle(conversationId);
    const answer = this.pending();
    await this.conversations.mutate(conversationId, (c) => {
      const last = c.messages.at(-1);
      if (!c.messages.some((m) => m.role === 'user')) throw new NothingToRegenerateError();
      if (last?.role === 'assistant') c.messages.pop();
      c.messages.push(answer);
    });
    this.start(conversationId, answer.id);
    return { answerId: answer.id };
  }

  /**
   * Asks an edited question again as a new branch: the edit is a new version of the message (it
   * follows the same message), and the old one keeps everything that came after it (Organise).
   */
  async edit(conversationId: string, messageId: string, content: string): Promise<{ answerId: string }> {
    this.assertIdle(conversationId);
    const answer = this.pending();
    await this.conversations.mutate(conversationId, (c) => {
      const at = c.messages.findIndex((m) => m.id === messageId);
      const target = c.messages[at];
      if (!target || target.role !== 'user') throw new MessageNotEditableError();
      // The edit replaces the typed text; the files stay (§2.3.7).
      const kept = withTypedText(target.content, target.attachments, content);
      c.messages = [...c.messages.slice(0, at), { ...target, id: newId(), content: kept, createdAt: this.now() }, answer];
    });
    this.start(conversationId, answer.id);
    return { answerId: answer.id };
  }

  /**
   * Continue (docs/protocol.md §2.3.5): asks the node to go on with the last answer, which stopped
   * at its output limit or was stopped. The continuation is appended to that same answer — the
   * version the window shows — instead of starting another version of it.
   */
  async continue(conversationId: string): Promise<{ answerId: string }> {
    this.assertIdle(conversationId);
    let answerId = '';
    let prefix = '';
    await this.conversations.mutate(conversationId, (c) => {
      const last = c.messages.at(-1);
      if (!last || !canContinue(last)) throw new NothingToContinueError();
      answerId = last.id;
      prefix = last.content;
      c.messages[c.messages.length - 1] = { ...last, status: 'pending', error: undefined };
    });
    this.start(conversationId, answerId, prefix);
    return { answerId };
  }

  /** Stops the answer in flight (the relay gets a cancel); false when nothing was running. */
  async stop(conversationId: string): Promise<boolean> {
    const run = this.runs.get(conversationId);
    if (!run) return false;
    run.stoppedByUser = true;
    run.controller.abort();
    await run.done;
    return true;
  }

  isRunning(conversationId: string): boolean {
    return this.runs.has(conversationId);
  }

  /** The conversation, with answers left pending by a previous app run marked as interrupted. */
  async load(conversationId: string): Promise<Conversation> {
    const conversation = await this.conversations.get(conversationId);
    if (this.isRunning(conversationId) || !conversation.messages.some((m) => m.status === 'pending')) return conversation;
    return this.conversations.mutate(
      conversationId,
      (c) => {
        if (this.isRunning(conversationId)) return;
        c.messages = c.messages.map((m) => (m.status === 'pending' ? { ...m, status: 'error', error: registered('interrupted') } : m));
      },
      false,
    );
  }

  /** Stops every run (app quit); their answers are stored as stopped. */
  async close(): Promise<void> {
    await Promise.all([...this.runs.keys()].map((id) => this.stop(id)));
  }

  private start(conversationId: string, answerId: string, prefix = ''): void {
    const run: Run = { answerId, controller: new AbortController(), stoppedByUser: false, done: Promise.resolve(), partial: '', prefix, shown: false };
    this.runs.set(conversationId, run);
    run.done = this.execute(conversationId, run).finally(() => {
      if (this.runs.get(conversationId) === run) this.runs.delete(conversationId);
    });
  }

  private async execute(conversationId: string, run: Run): Promise<void> {
    const startedAt = this.now();
    const elapsed = () => Math.max(0, this.now() - startedAt);
    const status = (s: StatusFields) =>
      this.emit({ type: 'status', conversationId, answerId: run.answerId, elapsedMs: elapsed(), ...s });
    let finished: Message;
    try {
      status({ phase: 'finding_node' });
      const conversation = await this.conversations.get(conversationId);
      const model = conversation.model || (await this.defaultModel().catch(() => undefined));
      const options = this.requestOptions(conversation);
      const answer = await this.service.chat({
        messages: promptOf(conversation, run.answerId, run.prefix),
        ...(model && { model }),
        ...(Object.keys(options).length > 0 && { options }),
        ...(conversation.contextTier && { contextTier: conversation.contextTier }),
        signal: run.controller.signal,
        // The window applies snapshots: a node lost mid-answer is failed over, the answer starting over (§11.7).
        retractable: true,
        // The window shows reasoning collapsed (§2.3.6).
        keepReasoning: true,
        conversationId,
        onStatus: (s) => {
          const phase = phaseOf(s);
          if (phase) status(phase);
        },
        onDelta: (d) => {
          run.partial = d.snapshot ? d.text : run.partial + d.text;
          // A continuation's text follows the answer's: its first delta (and every snapshot) says all of it.
          const whole = d.snapshot || (run.prefix !== '' && !run.shown);
          run.shown = true;
          const text = whole ? run.prefix + run.partial : d.text;
          this.emit({ type: 'delta', conversationId, answerId: run.answerId, text, snapshot: whole, elapsedMs: elapsed() });
        },
      });
      finished = await this.finish(conversationId, run.answerId, (m) => ({
        ...m,
        content: run.prefix + answer.content,
        status: 'complete',
        meta: metaOf(answer, elapsed()),
      }));
      this.emit({ type: 'answer', conversationId, message: finished });
    } catch (error) {
      if (run.stoppedByUser) {
        finished = await this.finish(conversationId, run.answerId, (m) => ({ ...m, content: run.prefix + run.partial, status: 'stopped' }));
        this.emit({ type: 'stopped', conversationId, message: finished });
      } else {
        const info = answerErrorOf(error);
        finished = await this.finish(conversationId, run.answerId, (m) => ({ ...m, content: run.prefix + run.partial, status: 'error', error: info }));
        this.emit({ type: 'error', conversationId, message: finished });
      }
    }
  }

  /** Replaces the pending answer; if the conversation was deleted meanwhile, nothing is stored. */
  private async finish(conversationId: string, answerId: string, change: (m: Message) => Message): Promise<Message> {
    let result: Message | undefined;
    try {
      await this.conversations.mutate(conversationId, (c) => {
        c.messages = c.messages.map((m) => (m.id === answerId ? (result = change(m)) : m));
      });
    } catch {
      // Deleted or cleared while the answer was on its way.
    }
    return result ?? change({ id: answerId, role: 'assistant', content: '', createdAt: this.now(), status: 'pending' });
  }
}

type StatusFields = Omit<Extract<ChatEvent, { type: 'status' }>, 'type' | 'conversationId' | 'answerId' | 'elapsedMs'>;

function phaseOf(s: ChatStatus): StatusFields | null {
  switch (s.type) {
    case 'finding_node':
    case 'failover':
      return { phase: 'finding_node' };
    case 'confirming_node':
      return { phase: 'confirming_node' };
    case 'submitted':
      return { phase: 'submitting' };
    case 'queued':
      return { phase: 'queued' };
    case 'progress': {
      const fraction = s.totalPromptTokens > 0 ? Math.min(1, s.processedPromptTokens / s.totalPromptTokens) : undefined;
      return {
        phase: s.phase,
        ...(s.phase === 'prefill' && fraction !== undefined && { fraction }),
        ...(s.generatedTokens > 0 && { generatedTokens: s.generatedTokens }),
      };
    }
    default:
      return null;
  }
}
