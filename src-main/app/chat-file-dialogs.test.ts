import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { chooseChatFile, chooseExportPath } from './chat-file-dialogs';

describe('the chat file dialogs', () => {
  it('the save dialog suggests the name and filters the format; cancelling gives nothing', async () => {
    const picked = join(tmpdir(), 'Trip.html');
    const showSaveDialog = vi.fn().mockResolvedValueOnce({ canceled: false, filePath: picked }).mockResolvedValueOnce({ canceled: true, filePath: '' });
    const dialog = { showSaveDialog } as unknown as Parameters<typeof chooseExportPath>[0];
    expect(await chooseExportPath(dialog, null, 'Trip.html', 'html')).toBe(picked);
    expect(showSaveDialog).toHaveBeenCalledWith(expect.objectContaining({ defaultPath: 'Trip.html', filters: [{ name: 'Web page', extensions: ['html'] }] }));
    expect(await chooseExportPath(dialog, null, 'Trip.md', 'markdown')).toBeUndefined();
  });

  it('the open dialog asks for one JSON file', async () => {
    const picked = join(tmpdir(), 'chat.json');
    const showOpenDialog = vi.fn().mockResolvedValueOnce({ canceled: false, filePaths: [picked] }).mockResolvedValueOnce({ canceled: true, filePaths: [] });
    const dialog = { showOpenDialog } as unknown as Parameters<typeof chooseChatFile>[0];
    expect(await chooseChatFile(dialog, null)).toBe(picked);
    expect(showOpenDialog).toHaveBeenCalledWith(expect.objectContaining({ properties: ['openFile'], filters: [{ name: 'token.place chat (JSON)', extensions: ['json'] }] }));
    expect(await chooseChatFile(dialog, null)).toBeUndefined();
  });
});
