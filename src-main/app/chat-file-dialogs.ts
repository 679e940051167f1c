// Organise: the system's save dialog for one chat's export and its open dialog for a chat's JSON
// file. The paths go to the backend only; the window learns a saved file's name, never its folder.
import type { BrowserWindow, Dialog } from 'electron';
import type { ChatExportFormat } from '../../src-shared/vocabulary';

const FILTERS: Record<ChatExportFormat, Electron.FileFilter> = {
  json: { name: 'token.place chat (JSON)', extensions: ['json'] },
  markdown: { name: 'Markdown', extensions: ['md'] },
  html: { name: 'Web page', extensions: ['html'] },
};

export async function chooseExportPath(
  dialog: Pick<Dialog, 'showSaveDialog'>,
  window: BrowserWindow | null,
  suggestedName: string,
  format: ChatExportFormat,
): Promise<string | undefined> {
  const options: Electron.SaveDialogOptions = { title: 'Export chat', buttonLabel: 'Export', defaultPath: suggestedName, filters: [FILTERS[format]] };
  const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
  return result.canceled || !result.filePath ? undefined : result.filePath;
}

export async function chooseChatFile(dialog: Pick<Dialog, 'showOpenDialog'>, window: BrowserWindow | null): Promise<string | undefined> {
  const options: Electron.OpenDialogOptions = { title: 'Import a chat', buttonLabel: 'Import', properties: ['openFile'], filters: [FILTERS.json] };
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return result.canceled ? undefined : result.filePaths[0];
}
