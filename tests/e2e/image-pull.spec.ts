// Layer 2 images section: pulls that share layers download each blob once; digests and the overlay mount come from the sim.
import { test, expect, type Locator } from '@playwright/test';
import { snippet, hydrated, editLine, replaceText, openEditor } from './helpers.ts';
import { runImagePull, DEFAULT_IMAGE_PULL } from '../../sim/src/index.ts';


async function waitHydrated(root: Locator): Promise<void> {
  await root.scrollIntoViewIfNeeded();
  await expect(root).toHaveAttribute('data-hydrated', 'true', { timeout: 45_000 });
}


const PAGE = '/layer-2/images/';
const ID = 'image-pull-shared';
const expected = runImagePull(DEFAULT_IMAGE_PULL, { seed: 1 });
if (!expected.ok) throw new Error('default pull must run');
const V = expected.value;

const pull = (root: Locator, line: number) => root.locator(`section[data-pull-line="${line}"]`);

// The machine these run on is shared; hydration can take seconds under load.
test.beforeEach(async ({ page }) => {
  test.slow();
  await page.goto(PAGE);
  await waitHydrated(snippet(page, ID));
});

test('the default run: redis reuses the base layer, the second nginx downloads nothing', async ({ page }) => {
  const root = snippet(page, ID);
  await hydrated(root);
  const [nginx, redis, again] = V.pulls;
  await expect(pull(root, nginx!.line).locator('[data-field="manifest-digest"]')).toHaveText(nginx!.manifestDigest);
  await expect(pull(root, redis!.line).locator('tr[data-kind="layer"][data-status="exists"]')).toHaveCount(1);
  await expect(pull(root, again!.line).locator('tr[data-status="downloaded"]')).toHaveCount(0);
  await expect(pull(root, nginx!.line).locator('[data-field="mount"]')).toHaveText(nginx!.containerMount);
  await expect(page.locator('main')).toContainText(nginx!.manifestDigest);
  await expect(page.locator('main')).toContainText(`ダウンロードは ${redis!.downloadedBytes.toLocaleString('ja-JP')} バイト`);
});

test('pulling redis first moves the reuse to nginx; the total stays the same', async ({ page }) => {
  const root = snippet(page, ID);
  const text = 'pull redis:7\npull nginx:1.27\n';
  const r = runImagePull(text, { seed: 1 });
  if (!r.ok) throw new Error('variant must run');
  await openEditor(root);
  await replaceText(page, root, text);
  await root.getByRole('button', { name: '実行' }).click();
  await expect(pull(root, 1).locator('tr[data-status="exists"]')).toHaveCount(0);
  await expect(pull(root, 2).locator('tr[data-kind="layer"][data-status="exists"]')).toHaveCount(1);
  await expect(root.locator('[data-field="totals"]')).toContainText(`ダウンロード ${r.value.totals.downloadedBytes} バイト`);
  expect(r.value.totals.downloadedBytes).toBe(V.totals.downloadedBytes);
});

test('another platform keeps the index digest and changes the manifest', async ({ page }) => {
  const root = snippet(page, ID);
  const r = runImagePull(`platform linux/arm64\n${DEFAULT_IMAGE_PULL}`, { seed: 1 });
  if (!r.ok) throw new Error('variant must run');
  await openEditor(root);
  await editLine(page, root, 'pull nginx:1.27\npull redis:7', 'platform linux/arm64\npull nginx:1.27\npull redis:7');
  await root.getByRole('button', { name: '実行' }).click();
  const first = r.value.pulls[0]!;
  await expect(pull(root, first.line).locator('[data-field="index-digest"]')).toHaveText(V.pulls[0]!.indexDigest!);
  await expect(pull(root, first.line).locator('[data-field="manifest-digest"]')).toHaveText(first.manifestDigest);
  expect(first.manifestDigest).not.toBe(V.pulls[0]!.manifestDigest);
});

test('an unknown tag gets a located error and the page keeps working', async ({ page }) => {
  const root = snippet(page, ID);
  await openEditor(root);
  await editLine(page, root, 'pull redis:7', 'pull redis:99');
  await root.getByRole('button', { name: '実行' }).click();
  const line = DEFAULT_IMAGE_PULL.split('\n').findIndex((l) => l === 'pull redis:7') + 1;
  await expect(root.getByRole('alert')).toContainText(`${line} 行 6 列`);
  await expect(root.getByRole('alert')).toContainText('not found');
  await page.getByRole('link', { name: 'スナップショット: レイヤーから overlay マウントへ' }).first().click();
  await expect(page).toHaveURL(/#snapshots$/);
  await root.getByRole('button', { name: 'リセット' }).click();
  await expect(root.getByRole('alert')).toHaveCount(0);
  await expect(root.locator('section[data-pull-line]')).toHaveCount(V.pulls.length);
});

test('the English page shows the same digests with English labels', async ({ page }) => {
  await page.goto('/en/layer-2/images/');
  const root = snippet(page, ID);
  await waitHydrated(root);
  await hydrated(root);
  await expect(pull(root, V.pulls[0]!.line).locator('[data-field="image-id"]')).toHaveText(V.pulls[0]!.imageId);
  await expect(root.locator('[data-field="totals"]')).toContainText(`downloaded ${V.totals.downloadedBytes} bytes`);
  await openEditor(root);
  await editLine(page, root, 'pull redis:7', 'pul redis:7');
  await root.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(root.getByRole('alert')).toContainText(/line \d+, column 1/);
});
