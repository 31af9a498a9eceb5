// Layer 0 "CPU": the cores widget. Expectations come from the same sim call the page makes.
import { test, expect as baseExpect, type Locator } from '@playwright/test';
import { snippet, hydrated, editLine, editorText, ready } from './helpers.ts';
import { runCpuCores, DEFAULT_CPU_CORES } from '../../sim/src/index.ts';

// The machine these run on is shared; give hydration, the lazily loaded editor and each run time.
const expect = baseExpect.configure({ timeout: 30_000 });

const PAGE = '/layer-0/cpu/';
const ID = 'cpu-cores-demo';

function cell(root: Locator, group: string, field: string) {
  return root.locator(`tr[data-group="${group}"] td[data-field="${field}"]`);
}
function groups(text: string) {
  const r = runCpuCores(text, { seed: 1 });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return Object.fromEntries(r.value.groups.map((g) => [g.name, g]));
}

test.beforeEach(async ({ page }) => {
  await page.goto(PAGE);
});

test('the default run shows the throttled batch group with the numbers the prose states', async ({ page }) => {
  const root = snippet(page, ID);
  await ready(root, true);
  await hydrated(root);
  const g = groups(DEFAULT_CPU_CORES);
  await expect(cell(root, 'batch', 'avg-cpus')).toHaveText(g.batch!.avgCpus.toFixed(2));
  await expect(cell(root, 'batch', 'nr_throttled')).toHaveText(`${g.batch!.nrThrottled} / ${g.batch!.nrPeriods}`);
  await expect(cell(root, 'batch', 'quota')).toHaveText('150 ms / 100 ms');
  await expect(cell(root, 'web', 'weight')).toHaveText('2048');
  await expect(page.locator('main')).toContainText(`平均 ${g.batch!.avgCpus.toFixed(2)} CPU にとどまっています`);
  await expect(root.getByRole('img')).toHaveAttribute('aria-label', new RegExp(`batch は平均 ${g.batch!.avgCpus.toFixed(2)} CPU`));
});

test('removing the limit ends throttling; more web threads compete by request', async ({ page }) => {
  const root = snippet(page, ID);
  await ready(root, true);
  const noLimit = groups(DEFAULT_CPU_CORES.replace('    limit: 1500m\n', ''));
  await editLine(page, root, '    limit: 1500m\n', '');
  await root.getByRole('button', { name: '実行' }).click();
  await expect(cell(root, 'batch', 'nr_throttled')).toHaveText(`0 / ${noLimit.batch!.nrPeriods}`);
  await expect(cell(root, 'batch', 'avg-cpus')).toHaveText(noLimit.batch!.avgCpus.toFixed(2));
  expect(noLimit.batch!.avgCpus).toBeGreaterThan(groups(DEFAULT_CPU_CORES).batch!.avgCpus);

  const text = (await editorText(root)).replace('count: 2', 'count: 4');
  const busy = groups(text);
  await editLine(page, root, 'count: 2', 'count: 4');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(cell(root, 'web', 'avg-cpus')).toHaveText(busy.web!.avgCpus.toFixed(2));
  await expect(cell(root, 'batch', 'avg-cpus')).toHaveText(busy.batch!.avgCpus.toFixed(2));
  await expect(root.locator('tr[data-thread="web-3"]')).toHaveCount(1);
});

test('a cpuset outside the machine gets a located error and the page keeps working', async ({ page }) => {
  const root = snippet(page, ID);
  await ready(root, true);
  const text = await editLine(page, root, 'cpuset: 2-3', 'cpuset: 2-7');
  const r = runCpuCores(text, { seed: 1 });
  expect(r.ok).toBe(false);
  const err = !r.ok ? r.errors[0]! : undefined;
  await root.getByRole('button', { name: '実行' }).click();
  const alert = root.getByRole('alert');
  await expect(alert).toContainText(`${err!.line} 行 ${err!.column} 列`);
  await expect(alert).toContainText('CPU 7 does not exist');
  await page.getByRole('link', { name: '仮想化支援: VT-x と EPT' }).first().click();
  await expect(page).toHaveURL(/#virtualization$/);
  await root.getByRole('button', { name: 'リセット' }).click();
  await expect(root.getByRole('alert')).toHaveCount(0);
  await expect(cell(root, 'batch', 'avg-cpus')).toHaveText(groups(DEFAULT_CPU_CORES).batch!.avgCpus.toFixed(2));
});

test('the English page mirrors it with English labels and the same figures', async ({ page }) => {
  await page.goto('/en/layer-0/cpu/');
  const root = snippet(page, ID);
  await ready(root, true);
  await hydrated(root);
  const g = groups(DEFAULT_CPU_CORES);
  await expect(root.getByRole('button', { name: 'Run' })).toBeVisible();
  await expect(cell(root, 'batch', 'avg-cpus')).toHaveText(g.batch!.avgCpus.toFixed(2));
  await expect(page.locator('main')).toContainText(`ending at ${g.batch!.avgCpus.toFixed(2)} CPUs on average`);
  await editLine(page, root, 'limit: 1500m', 'limit: lots');
  await root.getByRole('button', { name: 'Run' }).click();
  await expect(root.getByRole('alert')).toContainText(/line \d+, column \d+/);
  await expect(root.getByRole('alert')).toContainText('CPU quantity');
});
