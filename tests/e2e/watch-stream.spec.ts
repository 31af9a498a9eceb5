// The Layer 3 watch section: edit the scenario, run, and see which events each watcher gets,
// when a watch is refused with 410 Gone, and located script errors. Expected values come from
// the same sim the page uses (runWatchScript with the same edits).
import { test, expect, type Locator } from '@playwright/test';
import { snippet, hydrated, editLine, replaceText } from './helpers.ts';
import { runWatchScript, DEFAULT_WATCH_SCRIPT } from '../../sim/src/index.ts';

const PAGE = '/layer-3/watch/';
const ID = 'watch-stream-demo';

const sim = (text = DEFAULT_WATCH_SCRIPT) => {
  const r = runWatchScript(text, { seed: 1 });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
};
const cell = (root: Locator, line: number, watcher: string) => root.locator(`tr[data-line="${line}"] td[data-watcher="${watcher}"]`);
const lineOf = (text: string, prefix: string) => text.split('\n').findIndex((l) => l.startsWith(prefix)) + 1;

test.beforeEach(async ({ page }) => {
  await page.goto(PAGE);
});

test('the default scenario: the kubelet watch sees ADDED when the pod is bound; the late watch gets 410', async ({ page }) => {
  const v = sim();
  const bindLine = lineOf(DEFAULT_WATCH_SCRIPT, 'update pod web-1 node=');
  const added = v.events.find((e) => e.watcher === 'kubelet' && e.type === 'ADDED')!;
  const modified = v.events.find((e) => e.watcher === 'all' && e.type === 'MODIFIED')!;
  const late = v.steps.find((s) => s.command.startsWith('watch pods from 15'))!;
  const root = snippet(page, ID);
  await hydrated(root);
  await expect(cell(root, bindLine, 'kubelet')).toHaveText(`ADDED web-1 @${added.resourceVersion}`);
  await expect(cell(root, bindLine, 'all')).toHaveText(`MODIFIED web-1 @${modified.resourceVersion}`);
  await expect(root.locator(`tr[data-line="${late.line}"] td[data-field="result"]`)).toHaveText(late.result);
  await expect(root.locator('tr[data-watch="late"] [data-field="state"]')).toHaveText('閉じた');
  // The prose quotes the same 410 message and revisions.
  await expect(page.locator('[data-example="too-old"]').first()).toHaveText(late.result);
  await expect(page.locator('main')).toContainText(`ADDED @${added.resourceVersion}`);
});

test('a bigger watch cache lets the late watch resume instead of 410', async ({ page }) => {
  const edited = DEFAULT_WATCH_SCRIPT.replace('watch-cache-size 4', 'watch-cache-size 10');
  const v = sim(edited);
  const late = v.events.filter((e) => e.watcher === 'late');
  expect(late.length).toBeGreaterThan(1);
  const root = snippet(page, ID);
  await editLine(page, root, 'watch-cache-size 4', 'watch-cache-size 10');
  await root.getByRole('button', { name: '実行' }).click();
  await expect(root.locator('tr[data-watch="late"] [data-field="state"]')).toHaveText('開いている');
  await expect(root.locator(`td[data-watcher="late"] [data-type]`)).toHaveCount(late.length);
  await expect(root.locator('td[data-watcher="late"] [data-type="ERROR"]')).toHaveCount(0);
});

test('deleting the bound pod reaches the kubelet watch as DELETED', async ({ page }) => {
  const edited = `${DEFAULT_WATCH_SCRIPT}delete pod web-1\n`;
  const v = sim(edited);
  const del = v.events.find((e) => e.watcher === 'kubelet' && e.type === 'DELETED')!;
  const root = snippet(page, ID);
  await replaceText(page, root, edited);
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(cell(root, del.line, 'kubelet')).toHaveText(`DELETED web-1 @${del.resourceVersion}`);
});

test('a malformed watch line gets a located error and the page keeps working', async ({ page }) => {
  const root = snippet(page, ID);
  const text = await editLine(page, root, 'watch pods from 0 as all', 'watch pods from zero as all');
  await root.getByRole('button', { name: '実行' }).click();
  const line = lineOf(text, 'watch pods from zero');
  const alert = root.getByRole('alert');
  await expect(alert).toContainText(`${line} 行 17 列`);
  await expect(alert).toContainText('from needs a resourceVersion');
  await expect(root.locator('.cm-lintRange-error')).toHaveCount(1);
  await page.getByRole('link', { name: 'BOOKMARK: 変化のない watch の位置を進める' }).first().click();
  await expect(page).toHaveURL(/#bookmarks$/);
  await editLine(page, root, 'watch pods from zero as all', 'watch pods from 0 as all');
  await root.getByRole('button', { name: '実行' }).click();
  await expect(root.getByRole('alert')).toHaveCount(0);
  await expect(root.locator('tr[data-watch="all"]')).toHaveCount(1);
});

test('the English page mirrors it with English labels and the same events', async ({ page }) => {
  const v = sim();
  const late = v.steps.find((s) => s.command.startsWith('watch pods from 15'))!;
  await page.goto('/en/layer-3/watch/');
  const root = snippet(page, ID);
  await hydrated(root);
  await expect(root.getByRole('button', { name: 'Run' })).toBeVisible();
  await expect(root.locator('tr[data-watch="late"] [data-field="state"]')).toHaveText('closed');
  await expect(page.locator('[data-example="too-old"]').first()).toHaveText(late.result);
  await editLine(page, root, 'compact 16', 'compact sixteen');
  await root.getByRole('button', { name: 'Run' }).click();
  await expect(root.getByRole('alert')).toContainText(/line \d+, column 9/);
});
