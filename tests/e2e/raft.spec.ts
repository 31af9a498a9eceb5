// The Layer 3 etcd/Raft section: default run matches the prose, edits elect new leaders, errors are located, runs are deterministic per seed.
import { test, expect, type Locator } from '@playwright/test';
import { snippet, hydrated, replaceText, editLine } from './helpers.ts';

const PAGE = '/layer-3/etcd/';
const ID = 'raft-demo';

function cell(root: Locator, member: number, field: string) {
  return root.locator(`tr[data-member="${member}"] td[data-field="${field}"]`);
}

/** Every member's role/term/commit as one comparable string. */
async function table(root: Locator): Promise<string> {
  return root.locator('tr[data-member]').evaluateAll((rows) =>
    rows.map((r) => ['role', 'term', 'commit', 'last'].map((f) => r.querySelector(`[data-field="${f}"]`)?.textContent ?? '').join('|')).join('\n'),
  );
}

test.beforeEach(async ({ page }) => {
  await page.goto(PAGE);
});

test('the default run shows the leader and term the prose states', async ({ page }) => {
  const root = snippet(page, ID);
  await hydrated(root);
  // Seed 1: member 2 leads term 1, member 1 term 2 after the crash, member 3 term 3 after the partition.
  await expect(cell(root, 3, 'role')).toHaveText('リーダー');
  await expect(cell(root, 3, 'term')).toHaveText('3');
  for (const m of [1, 2, 3]) await expect(cell(root, m, 'commit')).toHaveText('36');
  const main = page.locator('main');
  await expect(main).toContainText('メンバー 2 が term 1 のリーダー');
  await expect(main).toContainText('メンバー 1 が term 2 のリーダー');
  await expect(main).toContainText('メンバー 3 が term 3 のリーダー');
  await expect(main).toContainText('term 3、commitIndex 36');
  await expect(root.getByRole('img')).toHaveAttribute('aria-label', /term 3 のリーダーはメンバー 3/);
});

test('crashing the leader at the end elects a new leader in a higher term', async ({ page }) => {
  const root = snippet(page, ID);
  await hydrated(root);
  await editLine(page, root, 'heal\ntick 30', 'heal\ntick 30\ncrash leader\ntick 100');
  await root.getByRole('button', { name: '実行' }).click();
  await expect(cell(root, 3, 'crashed')).toHaveText('はい');
  await expect(cell(root, 1, 'role')).toHaveText('リーダー');
  await expect(cell(root, 1, 'term')).toHaveText('4');
  await expect(cell(root, 1, 'commit')).toHaveText('37');
});

test('a bad line gives a located error', async ({ page }) => {
  const root = snippet(page, ID);
  await replaceText(page, root, 'members 3\ntick until leader\ncrash 9\n');
  await root.getByRole('button', { name: '実行' }).click();
  const alert = root.getByRole('alert');
  await expect(alert).toContainText('3 行');
  await expect(alert.locator('li[data-line="3"]')).toHaveCount(1);

  await replaceText(page, root, 'members 3\nfrobnicate\n');
  await root.getByRole('button', { name: '実行' }).click();
  await expect(root.getByRole('alert')).toContainText('2 行');
  await expect(root.getByRole('alert')).toContainText('frobnicate');
});

test('the same seed gives the same run; another seed may differ', async ({ page }) => {
  const root = snippet(page, ID);
  await hydrated(root);
  const seed = root.getByRole('spinbutton');
  const run = root.getByRole('button', { name: '実行' });
  const original = await table(root);

  await seed.fill('2');
  await run.click();
  await expect(cell(root, 2, 'role')).toHaveText('リーダー');
  await expect(cell(root, 2, 'term')).toHaveText('5');
  const withTwo = await table(root);
  await run.click();
  expect(await table(root)).toBe(withTwo);

  await seed.fill('1');
  await run.click();
  await expect(cell(root, 3, 'term')).toHaveText('3');
  expect(await table(root)).toBe(original);
});

test('the English page shows the same numbers', async ({ page }) => {
  await page.goto('/en/layer-3/etcd/');
  const root = snippet(page, ID);
  await hydrated(root);
  await expect(cell(root, 3, 'role')).toHaveText('leader');
  await expect(cell(root, 3, 'term')).toHaveText('3');
  await expect(page.locator('main')).toContainText('member 3 becomes leader of term 3');
});
