// The node-lifecycle widget in the controllers section: a silent node becomes Unknown, is tainted
// and its pods are evicted at the times the sim computes; edits move those times; located errors.
import { test, expect, type Locator } from '@playwright/test';
import { snippet, hydrated, editLine, replaceText } from './helpers.ts';
import { runNodeLifecycle, DEFAULT_NODE_LIFECYCLE_SCRIPT } from '../../sim/src/index.ts';

const PAGE = '/layer-3/controllers/';
const ID = 'node-lifecycle-demo';

function expected(script = DEFAULT_NODE_LIFECYCLE_SCRIPT) {
  const r = runNodeLifecycle(script, { seed: 1 });
  if (!r.ok) throw new Error('sim failed');
  return r.value;
}

const cell = (root: Locator, node: string, field: string) => root.locator(`tr[data-node="${node}"] td[data-field="${field}"]`);

test.beforeEach(async ({ page }) => {
  await page.goto(PAGE);
});

test('node-2 goes Unknown, gets the unreachable taints and loses its pods', async ({ page }) => {
  const v = expected();
  const unknown = v.events.find((e) => e.kind === 'NodeNotReady')!;
  const root = snippet(page, ID);
  await hydrated(root);
  await expect(cell(root, 'node-2', 'ready')).toHaveText('Unknown');
  await expect(cell(root, 'node-2', 'taints')).toContainText('node.kubernetes.io/unreachable:NoExecute');
  await expect(cell(root, 'node-2', 'pods')).toHaveText('0');
  await expect(cell(root, 'node-1', 'pods')).toHaveText('2');
  await expect(root.locator('li[data-kind="TaintManagerEviction"]').first()).toContainText(`${v.evictions[0]!.timeSeconds} 秒`);
  await expect(root.locator('li[data-kind="NodeNotReady"]').first()).toContainText(`${unknown.timeSeconds} 秒`);
  await expect(page.locator('main')).toContainText(`${unknown.timeSeconds} 秒 に node-2 は Ready=Unknown`);
});

test('a shorter toleration evicts earlier; the old 40 s grace period marks Unknown earlier', async ({ page }) => {
  const base = expected();
  const short = expected(DEFAULT_NODE_LIFECYCLE_SCRIPT.replace('run 400s', 'toleration 60s\ngrace-period 40s\nrun 400s'));
  expect(short.evictions[0]!.timeSeconds).toBeLessThan(base.evictions[0]!.timeSeconds);
  const root = snippet(page, ID);
  await editLine(page, root, 'run 400s', 'toleration 60s\ngrace-period 40s\nrun 400s');
  await root.getByRole('button', { name: '実行' }).click();
  await expect(root.locator('[data-field="settings"]')).toContainText('node-monitor-grace-period 40 秒');
  await expect(root.locator('li[data-kind="NodeNotReady"]').first()).toContainText(`${short.events.find((e) => e.kind === 'NodeNotReady')!.timeSeconds} 秒`);
  await expect(root.locator('li[data-kind="TaintManagerEviction"]').first()).toContainText(`${short.evictions[0]!.timeSeconds} 秒`);
});

test('a kubelet that comes back in time keeps its pods', async ({ page }) => {
  const back = expected(DEFAULT_NODE_LIFECYCLE_SCRIPT.replace('run 400s', 'resume-heartbeat node-2 at 200s\nrun 400s'));
  expect(back.evictions).toHaveLength(0);
  const root = snippet(page, ID);
  await editLine(page, root, 'run 400s', 'resume-heartbeat node-2 at 200s\nrun 400s');
  await root.getByRole('button', { name: '実行' }).click();
  await expect(cell(root, 'node-2', 'ready')).toHaveText('True');
  await expect(cell(root, 'node-2', 'pods')).toHaveText('2');
  await expect(root.locator('[data-field="evictions"]')).toContainText('0 個');
});

test('an unknown node name is a located error', async ({ page }) => {
  const root = snippet(page, ID);
  await replaceText(page, root, 'nodes 3\nstop-heartbeat node-7 at 10s\nrun 100s\n');
  await root.getByRole('button', { name: '実行' }).click();
  const alert = root.getByRole('alert');
  await expect(alert).toContainText('2 行');
  await expect(alert).toContainText('node-7');
});

test('the English page shows the same times', async ({ page }) => {
  const v = expected();
  await page.goto('/en/layer-3/controllers/');
  const root = snippet(page, ID);
  await hydrated(root);
  await expect(cell(root, 'node-2', 'ready')).toHaveText('Unknown');
  await expect(page.locator('main')).toContainText(new RegExp(`at ${v.evictions[0]!.timeSeconds} s, node-2.s ${v.evictions.length} Pods are evicted`));
});
