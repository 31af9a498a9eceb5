// Layer 0 "Storage": the I/O trace widget. Expectations come from the same sim call the page makes.
import { test, expect as baseExpect, type Locator } from '@playwright/test';
import { snippet, hydrated, editLine, ready } from './helpers.ts';
import { runStorageTrace, DEFAULT_STORAGE_TRACE, type StorageView } from '../../sim/src/index.ts';

// The machine these run on is shared; give hydration, the lazily loaded editor and each run time.
const expect = baseExpect.configure({ timeout: 30_000 });

const PAGE = '/layer-0/storage/';
const ID = 'storage-demo';
const OVERWRITE = 'write rand 16MiB bs=4k direct qd=16';

function cell(root: Locator, line: number, field: string) {
  return root.locator(`tr[data-line="${line}"] td[data-field="${field}"]`);
}
function view(text: string): StorageView {
  const r = runStorageTrace(text, { seed: 1 });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}
const phase = (v: StorageView, command: string) => v.phases.find((p) => p.command === command)!;

test.beforeEach(async ({ page }) => {
  await page.goto(PAGE);
});

test('the default trace shows WA 1 for sequential writes and WA > 1 for random overwrites', async ({ page }) => {
  const root = snippet(page, ID);
  await ready(root, true);
  await hydrated(root);
  const v = view(DEFAULT_STORAGE_TRACE);
  const seq = v.phases.find((p) => p.command.startsWith('write seq'))!;
  const over = phase(v, OVERWRITE);
  await expect(cell(root, seq.line, 'wa')).toHaveText('1.00');
  await expect(cell(root, over.line, 'wa')).toHaveText(over.writeAmplification!.toFixed(2));
  expect(over.writeAmplification!).toBeGreaterThan(2);
  await expect(page.locator('main')).toContainText(`WA は ${over.writeAmplification!.toFixed(2)} になります`);
  await expect(root.locator('[data-field="totals"]')).toContainText(v.totals.writeAmplification.toFixed(2));
});

test('more over-provisioning lowers write amplification; direct buffered writes wait for NAND', async ({ page }) => {
  const root = snippet(page, ID);
  await ready(root, true);
  const text = await editLine(page, root, 'op=7%', 'op=28%');
  await root.getByRole('button', { name: '実行' }).click();
  const before = phase(view(DEFAULT_STORAGE_TRACE), OVERWRITE);
  const after = phase(view(text), OVERWRITE);
  expect(after.writeAmplification!).toBeLessThan(before.writeAmplification!);
  await expect(cell(root, after.line, 'wa')).toHaveText(after.writeAmplification!.toFixed(2));

  const text2 = await editLine(page, root, 'write rand 2MiB bs=4k\n', 'write rand 2MiB bs=4k direct\n');
  await page.keyboard.press('ControlOrMeta+Enter');
  const direct = view(text2).phases.find((p) => p.command === 'write rand 2MiB bs=4k direct')!;
  const buffered = view(DEFAULT_STORAGE_TRACE).phases.find((p) => p.command === 'write rand 2MiB bs=4k')!;
  expect(direct.meanLatencyUs).toBeGreaterThan(10 * buffered.meanLatencyUs);
  await expect(cell(root, direct.line, 'mean-us')).toHaveText(`${direct.meanLatencyUs >= 100 ? Math.round(direct.meanLatencyUs).toLocaleString('en-US') : direct.meanLatencyUs.toFixed(1)} µs`);
});

test('a block size that is not a multiple of 4 KiB gets a located error and the page keeps working', async ({ page }) => {
  const root = snippet(page, ID);
  await ready(root, true);
  const text = await editLine(page, root, 'read rand 1MiB bs=4k', 'read rand 1MiB bs=6k');
  const r = runStorageTrace(text, { seed: 1 });
  const err = !r.ok ? r.errors[0]! : undefined;
  expect(err).toBeDefined();
  await root.getByRole('button', { name: '実行' }).click();
  const alert = root.getByRole('alert');
  await expect(alert).toContainText(`${err!.line} 行 ${err!.column} 列`);
  await expect(alert).toContainText('multiple of 4 KiB');
  await page.getByRole('link', { name: 'ストレージスタック' }).first().click();
  await expect(page).toHaveURL(/#stack$/);
  await root.getByRole('button', { name: 'リセット' }).click();
  await expect(root.getByRole('alert')).toHaveCount(0);
});

test('the English page mirrors it with English labels and the same figures', async ({ page }) => {
  await page.goto('/en/layer-0/storage/');
  const root = snippet(page, ID);
  await ready(root, true);
  await hydrated(root);
  const over = phase(view(DEFAULT_STORAGE_TRACE), OVERWRITE);
  await expect(cell(root, over.line, 'wa')).toHaveText(over.writeAmplification!.toFixed(2));
  await expect(page.locator('main')).toContainText(`WA reaches ${over.writeAmplification!.toFixed(2)}`);
  await editLine(page, root, 'scheduler mq-deadline', 'scheduler kyber');
  await root.getByRole('button', { name: 'Run' }).click();
  await expect(root.getByRole('alert')).toContainText(/line \d+, column 11/);
  await expect(root.getByRole('alert')).toContainText('not simulated');
});
