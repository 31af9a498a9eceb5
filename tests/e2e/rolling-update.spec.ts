// The rolling-update widget in the controllers section: the default timeline matches the prose,
// maxSurge 0 changes the timeline as the sim predicts, both-zero is a located error, English page.
import { test, expect, type Locator } from '@playwright/test';
import { snippet, hydrated, editLine } from './helpers.ts';
import { runRollingUpdate, DEFAULT_ROLLING_UPDATE_YAML } from '../../sim/src/index.ts';

const PAGE = '/layer-3/controllers/';
const ID = 'rolling-update-demo';

function expected(yaml = DEFAULT_ROLLING_UPDATE_YAML) {
  const r = runRollingUpdate(yaml, { seed: 1 });
  if (!r.ok) throw new Error('sim failed');
  const v = r.value;
  return { v, peak: Math.max(...v.timeline.map((p) => p.totalPods)), low: Math.min(...v.timeline.map((p) => p.availablePods)) };
}

/** The largest number in one column of the "moments" table. */
async function columnMax(root: Locator, field: string): Promise<number> {
  const cells = await root.locator(`tr[data-time] td[data-field="${field}"]`).allTextContents();
  return Math.max(...cells.map(Number));
}

test.beforeEach(async ({ page }) => {
  await page.goto(PAGE);
});

test('the default rollout stays within its bounds and completes when the prose says', async ({ page }) => {
  const { v, peak } = expected();
  const root = snippet(page, ID);
  await hydrated(root);
  await expect(root.locator('[data-field="done"]')).toContainText(`${v.completedAtSeconds} 秒`);
  await expect(root.locator('[data-field="violations"]')).toContainText('違反なし');
  expect(await columnMax(root, 'total')).toBe(peak);
  await expect(root.getByRole('img')).toHaveAttribute('aria-label', new RegExp(`最大 ${peak} 個 \\(上限 ${v.maxTotalPods}\\)`));
  await expect(page.locator('main')).toContainText(`ロールアウトは ${v.completedAtSeconds} 秒 で完了`);
});

test('maxSurge 0 never goes above the desired count and takes longer', async ({ page }) => {
  const before = expected();
  const after = expected(DEFAULT_ROLLING_UPDATE_YAML.replace('maxSurge: 25%', 'maxSurge: 0'));
  expect(after.peak).toBeLessThan(before.peak);
  const root = snippet(page, ID);
  await editLine(page, root, 'maxSurge: 25%', 'maxSurge: 0');
  await root.getByRole('button', { name: '実行' }).click();
  await expect(root.locator('[data-field="caption"]')).toContainText(`maxSurge 0`);
  await expect(root.locator('[data-field="done"]')).toContainText(`${after.v.completedAtSeconds} 秒`);
  expect(await columnMax(root, 'total')).toBe(after.peak);
  await expect(root.locator('[data-field="violations"]')).toContainText('違反なし');
});

test('maxSurge 0 with maxUnavailable 0 is a located error, and fixing it runs again', async ({ page }) => {
  const bad = runRollingUpdate(DEFAULT_ROLLING_UPDATE_YAML.replace('maxSurge: 25%', 'maxSurge: 0').replace('maxUnavailable: 25%', 'maxUnavailable: 0'), { seed: 1 });
  if (bad.ok) throw new Error('the sim accepted both-zero');
  const root = snippet(page, ID);
  const text = await editLine(page, root, 'maxSurge: 25%', 'maxSurge: 0');
  await editLine(page, root, 'maxUnavailable: 25%', 'maxUnavailable: 0');
  await root.getByRole('button', { name: '実行' }).click();
  const alert = root.getByRole('alert');
  await expect(alert).toContainText(`${bad.errors[0]!.line} 行`);
  await expect(alert).toContainText('may not be 0 when maxSurge is 0');
  await editLine(page, root, 'maxUnavailable: 0', 'maxUnavailable: 25%');
  await root.getByRole('button', { name: '実行' }).click();
  await expect(root.getByRole('alert')).toHaveCount(0);
  await expect(root.locator('[data-field="done"]')).toContainText(`${expected(text).v.completedAtSeconds} 秒`);
});

test('the English page shows the same rollout', async ({ page }) => {
  const { v, peak } = expected();
  await page.goto('/en/layer-3/controllers/');
  const root = snippet(page, ID);
  await hydrated(root);
  await expect(root.locator('[data-field="done"]')).toContainText(`completed after ${v.completedAtSeconds} s`);
  await expect(page.locator('main')).toContainText(`All Pods peak at ${peak}`);
});
