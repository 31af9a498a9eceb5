// Layer 2 shim section: containers survive a containerd restart; exit statuses kept by the shim reach CRI after it.
import { test, expect, type Locator } from '@playwright/test';
import { snippet, hydrated, editLine, openEditor } from './helpers.ts';
import { runShimRestart, DEFAULT_SHIM_RESTART } from '../../sim/src/index.ts';


async function waitHydrated(root: Locator): Promise<void> {
  await root.scrollIntoViewIfNeeded();
  await expect(root).toHaveAttribute('data-hydrated', 'true', { timeout: 45_000 });
}


const PAGE = '/layer-2/shim/';
const ID = 'shim-restart';
const expected = runShimRestart(DEFAULT_SHIM_RESTART, { seed: 1 });
if (!expected.ok) throw new Error('default scenario must run');
const V = expected.value;

const listed = (root: Locator, name: string, field: string) => root.locator(`tr[data-container="${name}"] td[data-field="${field}"]`);
const pick = (root: Locator, command: string) => root.locator('ol.shim-restart-lines li button', { hasText: command });

// The machine these run on is shared; hydration can take seconds under load.
test.beforeEach(async ({ page }) => {
  test.slow();
  await page.goto(PAGE);
  await waitHydrated(snippet(page, ID));
});

test('the default run ends with redis exited (status 1) and nginx still running', async ({ page }) => {
  const root = snippet(page, ID);
  await hydrated(root);
  await expect(root.locator('ol.shim-restart-lines li')).toHaveCount(V.steps.length);
  await expect(listed(root, 'redis', 'state')).toHaveText('CONTAINER_EXITED');
  await expect(listed(root, 'redis', 'exit-code')).toHaveText('1');
  await expect(listed(root, 'nginx', 'state')).toHaveText('CONTAINER_RUNNING');
  const start = V.steps.find((s) => s.command === 'start containerd')!;
  await expect(page.locator('main')).toContainText(`新しい containerd (PID ${start.containerdPid})`);
});

test('while containerd is stopped the shim stays the parent of every container', async ({ page }) => {
  const root = snippet(page, ID);
  await hydrated(root);
  const stop = V.steps.find((s) => s.command === 'stop containerd')!;
  const shimPid = stop.shims[0]!.pid;
  await pick(root, 'stop containerd').click();
  await expect(root.locator('[data-field="containerd"]')).toHaveText('containerd は停止中');
  await expect(root.locator('tr[data-role="containerd"]')).toHaveCount(0);
  for (const role of ['container nginx', 'container redis']) {
    await expect(root.locator(`tr[data-role="${role}"] td[data-field="ppid"]`)).toHaveText(String(shimPid));
  }
  await expect(root.locator(`tr[data-pid="${shimPid}"] td[data-field="ppid"]`)).toHaveText('1');
});

test('editing the exit status changes what CRI reports after the restart', async ({ page }) => {
  const root = snippet(page, ID);
  await openEditor(root);
  await editLine(page, root, 'exit redis 1', 'exit redis 137');
  await root.getByRole('button', { name: '実行' }).click();
  await expect(listed(root, 'redis', 'exit-code')).toHaveText('137');
  await pick(root, 'exit redis 137').click();
  await expect(root.locator('tr[data-task="redis"] td[data-field="exit-status"]')).toHaveText('137');
});

test('a second pod gets a second shim', async ({ page }) => {
  const root = snippet(page, ID);
  const text = `pod db redis:7\n${DEFAULT_SHIM_RESTART}`;
  const r = runShimRestart(text, { seed: 1 });
  if (!r.ok) throw new Error('variant must run');
  const shims = new Set(r.value.steps[r.value.steps.length - 1]!.shims.map((s) => s.pid));
  await openEditor(root);
  await editLine(page, root, 'pod web nginx:1.27 redis:7', 'pod db redis:7\npod web nginx:1.27 redis:7');
  await root.getByRole('button', { name: '実行' }).click();
  await expect(root.locator('tr[data-role^="shim of pod"]')).toHaveCount(shims.size);
  expect(shims.size).toBe(2);
});

test('a bad status gets a located error and the page keeps working', async ({ page }) => {
  const root = snippet(page, ID);
  await openEditor(root);
  const text = await editLine(page, root, 'exit redis 1', 'exit redis 300');
  await root.getByRole('button', { name: '実行' }).click();
  const line = text.split('\n').findIndex((l) => l === 'exit redis 300') + 1;
  await expect(root.getByRole('alert')).toContainText(`${line} 行 1 列`);
  await expect(root.getByRole('alert')).toContainText('0–255');
  await page.getByRole('link', { name: '終了ステータスを受け取る' }).first().click();
  await expect(page).toHaveURL(/#exit-status$/);
  await root.getByRole('button', { name: 'リセット' }).click();
  await expect(root.getByRole('alert')).toHaveCount(0);
  await expect(listed(root, 'redis', 'exit-code')).toHaveText('1');
});

test('the English page tells the same story in English', async ({ page }) => {
  await page.goto('/en/layer-2/shim/');
  const root = snippet(page, ID);
  await waitHydrated(root);
  await hydrated(root);
  await expect(listed(root, 'redis', 'state')).toHaveText('CONTAINER_EXITED');
  await pick(root, 'stop containerd').click();
  await expect(root.locator('[data-field="containerd"]')).toHaveText('containerd is stopped');
  await root.getByRole('button', { name: 'Next line' }).click();
  await expect(root.locator('.shim-restart-step')).toHaveAttribute('data-ok', 'false');
  await openEditor(root);
  await editLine(page, root, 'exit redis 1', 'exit mysql 1');
  await root.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(root.getByRole('alert')).toContainText(/line \d+, column 1/);
});
