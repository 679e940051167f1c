// models:import asks here: the system's open dialog for one .gguf file. The path goes to the
// backend only; the renderer never names a path (it gets the file's name in the models folder).
import type { BrowserWindow, Dialog } from 'electron';

export async function chooseModelFile(dialog: Pick<Dialog, 'showOpenDialog'>, window: BrowserWindow | null): Promise<string | undefined> {
  const options: Electron.OpenDialogOptions = {
    title: 'Import a GGUF model',
    buttonLabel: 'Import',
    properties: ['openFile'],
    filters: [{ name: 'GGUF models', extensions: ['gguf'] }],
  };
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return result.canceled ? undefined : result.filePaths[0];
}
