// Remembers the main window's size and position in a small JSON file in userData.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../storage';

export const WindowBoundsSchema = z
  .object({
    x: z.number().int().min(-100_000).max(100_000).optional(),
    y: z.number().int().min(-100_000).max(100_000).optional(),
    width: z.number().int().min(480).max(20_000),
    height: z.number().int().min(360).max(20_000),
  })
  .strict();
export type WindowBounds = z.infer<typeof WindowBoundsSchema>;

export const DEFAULT_WINDOW_BOUNDS: WindowBounds = { width: 1200, height: 800 };
const FILE_NAME = 'window-state.json';

export function windowStatePath(userDataDir: string): string {
  return join(userDataDir, FILE_NAME);
}

/** Missing, unreadable or invalid state gives the defaults. */
export async function loadWindowBounds(userDataDir: string): Promise<WindowBounds> {
  try {
    const parsed = WindowBoundsSchema.safeParse(JSON.parse(await readFile(windowStatePath(userDataDir), 'utf8')));
    return parsed.success ? parsed.data : DEFAULT_WINDOW_BOUNDS;
  } catch {
    return DEFAULT_WINDOW_BOUNDS;
  }
}

export async function saveWindowBounds(userDataDir: string, bounds: { x: number; y: number; width: number; height: number }): Promise<void> {
  const valid = WindowBoundsSchema.parse({
    x: Math.round(bounds.x),
    y: Math.round(bounds.y),
    width: Math.round(Math.max(bounds.width, 480)),
    height: Math.round(Math.max(bounds.height, 360)),
  });
  await mkdir(userDataDir, { recursive: true });
  await writeFileAtomic(windowStatePath(userDataDir), Buffer.from(JSON.stringify(valid), 'utf8'));
}

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Drops a remembered position that no longer overlaps any display (a monitor was unplugged). */
export function keepOnScreen(bounds: WindowBounds, workAreas: Rect[]): WindowBounds {
  if (bounds.x === undefined || bounds.y === undefined) return bounds;
  const { x, y, width, height } = bounds as Rect;
  const visible = workAreas.some((a) => x < a.x + a.width - 40 && x + width > a.x + 40 && y < a.y + a.height - 40 && y + height > a.y);
  return visible ? bounds : { width, height };
}
