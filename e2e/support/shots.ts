import type { Page, TestInfo } from '@playwright/test';
import { resolve } from 'node:path';

/** Saves a full-window screenshot as test-results/screenshots/<project>/<name>.png. */
export async function shot(page: Page, info: TestInfo, name: string): Promise<string> {
  const path = resolve(__dirname, '../../test-results/screenshots', info.project.name, `${name}.png`);
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  return path;
}
