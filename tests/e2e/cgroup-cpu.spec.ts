// The edit → run → share loop on the Layer 1 cgroup CPU section, in a real browser.
import { test, expect } from '@playwright/test';
import { snippet, hydrated, editLine } from './helpers.ts';

const PAGE = '/layer-1/cgroups-cpu/';
const ID = 'cpu-contention';

function cell(root: import('@playwright/test').Locator, group: string, field: string) {
  return root.locator(`tr[data-group="${group}"] td[data-field="${field}"]`);
}

test.beforeEach(async ({ page }) => {
  await page.goto(PAGE);
});

test('the page shows the default run without JavaScript-driven edits, with the numbers the prose states', async ({ page }) => {
  const root = snippet(page, ID);
  const status = root.getByRole('status');
  await expect(cell(root, 'batch', 'nr_throttled')).toHaveText('10');
  await expect(cell(root, 'batch', 'throttled_usec')).toHaveText('750000');
  // The prose quotes the same figures (computed from the same sim at build time).
  await expect(page.locator('main')).toContainText('throttled_usec 750000');
  await expect(page.locator('main')).toContainText('web は平均 1.00 CPU');
  await expect(status).toContainText('0.50');
});

test('editing cpu.max and running changes throttling', async ({ page }) => {
  const root = snippet(page, ID);
  await editLine(page, root, 'cpu.max = 50000 100000', 'cpu.max = 20000 100000');
  await root.getByRole('button', { name: '実行' }).click();
  await expect(cell(root, 'batch', 'avg-cpus')).toHaveText('0.20');
  // 20 ms at 0.8 CPU lasts 25 ms; 75 ms throttled on 2 run queues × 10 periods.
  await expect(cell(root, 'batch', 'throttled_usec')).toHaveText('1500000');
  await expect(root).toHaveAttribute('data-state', 'edited');

  // Raising the quota above the weight-determined share removes throttling (Ctrl+Enter runs).
  await editLine(page, root, 'cpu.max = 20000 100000', 'cpu.max = 90000 100000');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(cell(root, 'batch', 'nr_throttled')).toHaveText('0');
  await expect(cell(root, 'batch', 'avg-cpus')).toHaveText('0.80');
});

test('an edit survives a reload, and Reset restores the original', async ({ page }) => {
  const root = snippet(page, ID);
  await editLine(page, root, 'cpu.max = 50000 100000', 'cpu.max = 30000 100000');
  await root.getByRole('button', { name: '実行' }).click();
  await expect(cell(root, 'batch', 'avg-cpus')).toHaveText('0.30');
  await page.reload();
  const again = snippet(page, ID);
  await hydrated(again);
  await expect(again.locator('.cm-content')).toContainText('cpu.max = 30000 100000');
  await expect(cell(again, 'batch', 'avg-cpus')).toHaveText('0.30');
  await again.getByRole('button', { name: 'リセット' }).click();
  await expect(cell(again, 'batch', 'avg-cpus')).toHaveText('0.50');
  await expect(again).toHaveAttribute('data-state', 'original');
  await page.reload();
  await hydrated(snippet(page, ID));
  await expect(cell(snippet(page, ID), 'batch', 'avg-cpus')).toHaveText('0.50');
  await expect(snippet(page, ID)).toHaveAttribute('data-state', 'original');
});

test('a permalink reproduces the edited state in a second browser', async ({ page, browser }) => {
  const root = snippet(page, ID);
  await editLine(page, root, 'cpu.weight = 100\ncpu.max = max 100000\nbusy_threads = 1', 'cpu.weight = 100\ncpu.max = max 100000\nbusy_threads = 0');
  await root.getByRole('button', { name: '実行' }).click();
  const webBefore = await cell(root, 'web', 'avg-cpus').textContent();
  await root.getByRole('button', { name: 'リンクをコピー' }).click();
  const link = await root.getByRole('textbox', { name: '共有リンク' }).inputValue();
  expect(link).toContain('#sim=cpu-contention~');
  expect(page.url()).toBe(link);

  const other = await browser.newContext();
  const second = await other.newPage();
  await second.goto(link);
  const root2 = snippet(second, ID);
  await hydrated(root2);
  await expect(root2.locator('.cm-content')).toContainText('busy_threads = 0');
  await expect(cell(root2, 'logger', 'avg-cpus')).toHaveText('0.00');
  await expect(cell(root2, 'web', 'avg-cpus')).toHaveText(webBefore!);
  await other.close();
});

test('a malformed line gets a located error and the page keeps working', async ({ page }) => {
  const root = snippet(page, ID);
  const text = await editLine(page, root, 'cpu.max = 50000 100000', 'cpu.max = fifty 100000');
  await root.getByRole('button', { name: '実行' }).click();
  const line = text.split('\n').findIndex((l) => l.includes('fifty')) + 1;
  const alert = root.getByRole('alert');
  await expect(alert).toContainText(`${line} 行 11 列`);
  await expect(alert).toContainText('quota "fifty"');
  // Inline: CodeMirror marks the range on that line.
  await expect(root.locator('.cm-lintRange-error')).toHaveCount(1);
  // The rest of the page still works: the theme switch and the ToC respond.
  await page.getByRole('link', { name: 'cpu.weight: 取り合いになったときの比率' }).first().click();
  await expect(page).toHaveURL(/#cpu-weight$/);
  // Fixing the line clears the error.
  await editLine(page, root, 'cpu.max = fifty 100000', 'cpu.max = 50000 100000');
  await root.getByRole('button', { name: '実行' }).click();
  await expect(root.getByRole('alert')).toHaveCount(0);
  await expect(cell(root, 'batch', 'nr_throttled')).toHaveText('10');
});

test('an absurd quota answers with the kernel limit, quickly', async ({ page }) => {
  const root = snippet(page, ID);
  await editLine(page, root, 'cpu.max = 50000 100000', 'cpu.max = 1000000000000000 100000');
  const started = Date.now();
  await root.getByRole('button', { name: '実行' }).click();
  await expect(root.getByRole('alert')).toContainText('17592186044415');
  expect(Date.now() - started).toBeLessThan(5000);
});

test('keyboard only: reach the editor, edit, run with Ctrl+Enter, reset with Enter', async ({ page }) => {
  const root = snippet(page, ID);
  await hydrated(root);
  // From the top of the page: Tab to the skip link, follow it, then Tab
  // through the prose until the snippet's editor has focus.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  const editor = root.locator('.cm-content');
  let presses = 0;
  for (; presses < 120; presses++) {
    const inEditor = await page.evaluate((id) => {
      const a = document.activeElement;
      return !!a && a.classList.contains('cm-content') && !!a.closest(`[data-snippet="${id}"]`);
    }, ID);
    if (inEditor) break;
    await page.keyboard.press('Tab');
  }
  await expect(editor).toBeFocused();
  expect(presses).toBeGreaterThan(0);
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type('\n[extra]\ncpu.weight = 10000\nbusy_threads = 2\n');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(root.locator('tr[data-group="extra"]')).toHaveCount(1);
  // Escape leaves the editor's Tab trap; Tab then reaches the buttons.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  await expect(root.getByRole('button', { name: '実行' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(root.getByRole('button', { name: 'リセット' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(root.locator('tr[data-group="extra"]')).toHaveCount(0);
});

test('the English page mirrors it with English labels and the same figures', async ({ page }) => {
  await page.goto('/en/layer-1/cgroups-cpu/');
  const root = snippet(page, ID);
  await hydrated(root);
  await expect(root.getByRole('button', { name: 'Run' })).toBeVisible();
  await expect(root.getByRole('button', { name: 'Reset' })).toBeVisible();
  await expect(root.getByRole('button', { name: 'Copy link' })).toBeVisible();
  await expect(cell(root, 'batch', 'throttled_usec')).toHaveText('750000');
  await expect(page.locator('main')).toContainText('throttled_usec 750000');
  await editLine(page, root, 'cpu.max = 50000 100000', 'cpu.max = 50000 100');
  await root.getByRole('button', { name: 'Run' }).click();
  await expect(root.getByRole('alert')).toContainText(/line \d+, column 17/);
});
