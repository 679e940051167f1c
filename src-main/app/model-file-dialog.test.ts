import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { chooseModelFile } from './model-file-dialog';

describe('the model file dialog', () => {
  it('asks for one .gguf file and gives its path, or nothing when cancelled', async () => {
    const picked = join(tmpdir(), 'model.gguf');
    const showOpenDialog = vi.fn().mockResolvedValueOnce({ canceled: false, filePaths: [picked] }).mockResolvedValueOnce({ canceled: true, filePaths: [] });
    const dialog = { showOpenDialog } as unknown as Parameters<typeof chooseModelFile>[0];
    expect(await chooseModelFile(dialog, null)).toBe(picked);
    expect(showOpenDialog).toHaveBeenCalledWith(expect.objectContaining({ properties: ['openFile'], filters: [{ name: 'GGUF models', extensions: ['gguf'] }] }));
    expect(await chooseModelFile(dialog, null)).toBeUndefined();
  });
});
