// Layer 0 "Memory": the access-pattern widget. Expectations come from the same sim call the page makes.
import { test, expect as baseExpect, type Locator } from '@playwright/test';
import { snippet, hydrated, editLine, ready } from './helpers.ts';
import { runMemoryAccess, DEFAULT_MEMORY_ACCESS } from '../../sim/src/index.ts';

// The machine these run on is shared; give hydration, the lazily loaded editor and each run time.
const expect = baseExpect.configure({ timeout: 30_000 });

const PAGE = '/layer-0/memory/';
const ID = 'memory-demo';

function cell(root: Locator, run: number, field: string) {
  return root.locator(`tr[data-run="${run}"] td[data-field="${field}"]`);
}
function runs(text: string) {
  const r = runMemoryAccess(text, { seed: 1 });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value.runs;
}
const ns = (x: number) => `${x.toFixed(1)} ns`;

test.beforeEach(async ({ page }) => {
  await page.goto(PAGE);
});

test('the default runs show huge pages and NUMA placement as the prose states', async ({ page }) => {
  const root = snippet(page, ID);
  await ready(root, true);
  await hydrated(root);
  const v = runs(DEFAULT_MEMORY_ACCESS);
  for (const i of [0, 3, 4, 5]) await expect(cell(root, i, 'avg-ns')).toHaveText(ns(v[i]!.avgLatencyNs));
  expect(v[4]!.avgLatencyNs).toBeLessThan(v[3]!.avgLatencyNs);
  expect(v[5]!.avgLatencyNs).toBeGreaterThan(v[4]!.avgLatencyNs);
  await expect(page.locator('main')).toContainText(`平均 ${v[4]!.avgLatencyNs.toFixed(1)} ns に下がります`);
  await expect(root.getByRole('img')).toHaveAttribute('aria-label', new RegExp(`${v[5]!.avgLatencyNs.toFixed(1)} ns`));
});

test('a larger working set falls out of L1d; interleaving lands between local and remote', async ({ page }) => {
  const root = snippet(page, ID);
  await ready(root, true);
  const text = await editLine(page, root, 'working_set: 16KiB', 'working_set: 512KiB');
  await root.getByRole('button', { name: '実行' }).click();
  const v = runs(text);
  expect(v[0]!.servedBy.L2).toBeGreaterThan(0.5);
  await expect(cell(root, 0, 'l2')).toHaveText(`${(v[0]!.servedBy.L2 * 100).toFixed(1)}%`);
  await expect(cell(root, 0, 'avg-ns')).toHaveText(ns(v[0]!.avgLatencyNs));

  const text2 = await editLine(page, root, 'memory: remote', 'memory: interleave');
  await page.keyboard.press('ControlOrMeta+Enter');
  const w = runs(text2);
  await expect(cell(root, 5, 'placement')).toHaveText('インターリーブ');
  await expect(cell(root, 5, 'avg-ns')).toHaveText(ns(w[5]!.avgLatencyNs));
  expect(w[5]!.avgLatencyNs).toBeGreaterThan(w[4]!.avgLatencyNs);
  expect(w[5]!.avgLatencyNs).toBeLessThan(runs(DEFAULT_MEMORY_ACCESS)[5]!.avgLatencyNs);
});

test('an unknown page size gets a located error and the page keeps working', async ({ page }) => {
  const root = snippet(page, ID);
  await ready(root, true);
  const text = await editLine(page, root, 'pages: 2MiB\n    memory', 'pages: 3MiB\n    memory');
  const r = runMemoryAccess(text, { seed: 1 });
  const err = !r.ok ? r.errors[0]! : undefined;
  expect(err).toBeDefined();
  await root.getByRole('button', { name: '実行' }).click();
  const alert = root.getByRole('alert');
  await expect(alert).toContainText(`${err!.line} 行 ${err!.column} 列`);
  await expect(alert).toContainText('pages must be one of');
  await page.getByRole('link', { name: 'NUMA: ローカルとリモート' }).first().click();
  await expect(page).toHaveURL(/#numa$/);
  await root.getByRole('button', { name: 'リセット' }).click();
  await expect(root.getByRole('alert')).toHaveCount(0);
});

test('too many accesses are refused quickly with the stated limit', async ({ page }) => {
  const root = snippet(page, ID);
  await ready(root, true);
  await editLine(page, root, 'accesses: 5000', 'accesses: 900000');
  await root.getByRole('button', { name: '実行' }).click();
  await expect(root.getByRole('alert')).toContainText('200000');
});

test('the English page mirrors it with English labels and the same figures', async ({ page }) => {
  await page.goto('/en/layer-0/memory/');
  const root = snippet(page, ID);
  await ready(root, true);
  await hydrated(root);
  const v = runs(DEFAULT_MEMORY_ACCESS);
  await expect(cell(root, 3, 'avg-ns')).toHaveText(ns(v[3]!.avgLatencyNs));
  await expect(page.locator('main')).toContainText(`the average falls to ${v[4]!.avgLatencyNs.toFixed(1)} ns`);
  await editLine(page, root, 'pattern: strided', 'pattern: zigzag');
  await root.getByRole('button', { name: 'Run' }).click();
  await expect(root.getByRole('alert')).toContainText(/line \d+, column \d+/);
});
