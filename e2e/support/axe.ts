// One axe-core scan for every spec: no serious or critical violations of WCAG 2.1 A/AA and axe's
// best practices in the view as it is now. The full result is attached to the test report.
import AxeBuilder from '@axe-core/playwright';
import type { Page, TestInfo } from '@playwright/test';
import { expect } from './app';

export async function scan(page: Page, info: TestInfo, view: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = bad.map(
    (v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')} (${n.any[0]?.message ?? ''})`).slice(0, 4).join(' | ')}`,
  );
  await info.attach(`axe-${view}.json`, { body: JSON.stringify(result.violations, null, 2), contentType: 'application/json' });
  expect(summary, `axe: ${view}`).toEqual([]);
}
