// What every ipcMain handler returns. Electron flattens a thrown Error to a prefixed message
// string, so main sends failures as data and the preload turns them back into a rejection with
// the contract's IpcError shape ({ code, message }).
export type IpcResult = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };
