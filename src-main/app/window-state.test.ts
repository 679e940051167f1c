import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_BOUNDS, keepOnScreen, loadWindowBounds, saveWindowBounds, windowStatePath } from './window-state';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tp-window-state-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('window bounds', () => {
  it('round-trips through a JSON file and falls back to defaults', async () => {
    expect(await loadWindowBounds(dir)).toEqual(DEFAULT_WINDOW_BOUNDS);
    await saveWindowBounds(dir, { x: 10.4, y: 20, width: 900, height: 600 });
    expect(JSON.parse(await readFile(windowStatePath(dir), 'utf8'))).toEqual({ x: 10, y: 20, width: 900, height: 600 });
    expect(await loadWindowBounds(dir)).toEqual({ x: 10, y: 20, width: 900, height: 600 });
  });

  it('ignores corrupt or hostile files', async () => {
    for (const text of ['{', '[]', '{"width":1e9,"height":600}', '{"width":900,"height":600,"__proto__":{"x":1}}', '{"width":"900","height":600}']) {
      await writeFile(windowStatePath(dir), text);
      expect(await loadWindowBounds(dir), text).toEqual(DEFAULT_WINDOW_BOUNDS);
    }
  });

  it('drops a position that is off every display', () => {
    const displays = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    expect(keepOnScreen({ x: 100, y: 100, width: 800, height: 600 }, displays)).toEqual({ x: 100, y: 100, width: 800, height: 600 });
    expect(keepOnScreen({ x: 5000, y: 100, width: 800, height: 600 }, displays)).toEqual({ width: 800, height: 600 });
  });
});
