// Organise: one chat to a file the user picks (JSON keeps every branch, Markdown and a
// self-contained web page hold the path shown), and one chat back from a JSON file. Main's save
// and open dialogs pick the files; the window never names a path and only learns a file's name.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ChatExportFormat } from '../../src-shared/vocabulary';
import type { ConversationSummary } from '../../src-shared/ipc/contract';
import { viewOf } from '../storage';
import { chatPage } from './chat-page';
import type { Conversations } from './conversations';
import { BadRequestError } from './errors';
import { exportJson, exportMarkdown, importJson } from './transfer-format';

/** The biggest chat file read (the limit of `conversations:import` too). */
export const MAX_CHAT_FILE_BYTES = 64 * 1024 * 1024;

export interface ChatFileDialogs {
  /** Main's save dialog: the path to write, or undefined when the user cancelled. */
  chooseExportPath?: (suggestedName: string, format: ChatExportFormat) => Promise<string | undefined>;
  /** Main's open dialog for a chat's JSON file: its path, or undefined when the user cancelled. */
  chooseChatFile?: () => Promise<string | undefined>;
}

const EXTENSION: Record<ChatExportFormat, string> = { json: 'json', markdown: 'md', html: 'html' };

/** A file name from a chat's title: letters, digits, spaces, dots, dashes and underscores only. */
export function fileNameOf(title: string, format: ChatExportFormat): string {
  const stem = title.replace(/[^\p{L}\p{N} ._-]+/gu, ' ').replace(/\s+/g, ' ').trim().replace(/^\.+/, '').slice(0, 80).trim();
  return `${stem || 'chat'}.${EXTENSION[format]}`;
}

export class ChatFiles {
  constructor(
    private readonly conversations: Conversations,
    private readonly dialogs: ChatFileDialogs,
    private readonly now: () => number,
  ) {}

  /** What a chat's file holds in `format`. */
  async contentOf(id: string, format: ChatExportFormat): Promise<string> {
    const tree = await this.conversations.tree(id);
    if (format === 'json') return exportJson([tree], this.now());
    return format === 'markdown' ? exportMarkdown([viewOf(tree)]) : chatPage(viewOf(tree), this.now());
  }

  async export(id: string, format: ChatExportFormat): Promise<{ saved: boolean; fileName?: string }> {
    const choose = this.dialogs.chooseExportPath;
    if (!choose) throw new BadRequestError('Saving a chat to a file is not available in this window.');
    const content = await this.contentOf(id, format);
    const path = await choose(fileNameOf((await this.conversations.get(id)).title, format), format);
    if (!path) return { saved: false };
    try {
      await writeFile(path, content, { encoding: 'utf8', mode: 0o600 });
    } catch {
      throw new BadRequestError('The chat could not be saved there. Choose a folder you can write to.');
    }
    return { saved: true, fileName: basename(path) };
  }

  /** The path shown, as Markdown to paste elsewhere. */
  async markdown(id: string): Promise<string> {
    return exportMarkdown([await this.conversations.get(id)], { markers: false });
  }

  async import(): Promise<{ imported?: ConversationSummary }> {
    const choose = this.dialogs.chooseChatFile;
    if (!choose) throw new BadRequestError('Opening a chat file is not available in this window.');
    const path = await choose();
    if (!path) return {};
    let text: string;
    try {
      if ((await stat(path)).size > MAX_CHAT_FILE_BYTES) throw new BadRequestError('The file is larger than 64 MB: it is not a chat exported by token.place.');
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (error instanceof BadRequestError) throw error;
      throw new BadRequestError('The file could not be read. Check that it still exists and that you may open it.');
    }
    const chats = importJson(text);
    if (chats.length !== 1) {
      throw new BadRequestError(
        chats.length === 0
          ? 'The file holds no chat.'
          : `The file holds ${chats.length} chats. Import it with “Import…” in Settings, under Conversations, which takes many at once.`,
      );
    }
    return { imported: await this.conversations.importTree(chats[0]!) };
  }
}
