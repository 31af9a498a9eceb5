// The Layer 3 kube-scheduler section: the default cycle matches the prose, a taint or a profile
// edit changes the chosen node as the sim predicts, errors are located in the right editor.
import { test, expect, type Locator, type Page } from '@playwright/test';
import { snippet, hydrated } from './helpers.ts';
import { runSchedulerWidget, DEFAULT_SCHEDULER_NODES_YAML, DEFAULT_SCHEDULER_POD_YAML, DEFAULT_SCHEDULER_PROFILE_YAML } from '../../sim/src/index.ts';

const PAGE = '/layer-3/scheduler/';
const ID = 'scheduler-demo';
const INPUT = { nodesYaml: DEFAULT_SCHEDULER_NODES_YAML, podYaml: DEFAULT_SCHEDULER_POD_YAML, profileYaml: DEFAULT_SCHEDULER_PROFILE_YAML };
const TAINT_FROM = '    kubernetes.io/hostname: node-b\n    topology.kubernetes.io/zone: zone-b\n';
const TAINT_TO = TAINT_FROM + 'spec:\n  taints:\n  - {key: maintenance, value: "true", effect: NoSchedule}\n';

function expected(input = INPUT) {
  const r = runSchedulerWidget(input, { seed: 1 });
  if (!r.ok) throw new Error('sim failed');
  return r.value;
}

/** Opens the editor of one file of the widget and replaces `from` with `to` in its text. */
async function editFile(page: Page, root: Locator, file: string, from: string, to: string): Promise<void> {
  await hydrated(root);
  const box = root.locator(`[data-file="${file}"]`);
  await box.getByRole('textbox').first().click();
  const editor = box.locator('.cm-content').first();
  await expect(editor).toBeFocused();
  const current = await editor.evaluate((el) => {
    const view = (el as HTMLElement & { cmView?: { view: { state: { doc: { toString(): string } } } } }).cmView?.view;
    return view ? view.state.doc.toString() : [...el.querySelectorAll('.cm-line')].map((l) => l.textContent ?? '').join('\n');
  });
  if (!current.includes(from)) throw new Error(`${file} does not contain ${from}`);
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(current.replace(from, to));
}

const selected = (root: Locator) => root.locator('[data-field="selected"]');
const filterCell = (root: Locator, node: string, plugin: string) => root.locator(`tr[data-node="${node}"] td[data-plugin="${plugin}"][data-code]`);
const scoreRow = (root: Locator, node: string) => root.locator(`tr[data-node="${node}"][data-verdict]`);

test.beforeEach(async ({ page }) => {
  await page.goto(PAGE);
});

test('the default cycle shows the node, scores and reasons the prose states', async ({ page }) => {
  const v = expected();
  const root = snippet(page, ID);
  await hydrated(root);
  await expect(selected(root)).toHaveAttribute('data-node', v.selectedNode!);
  for (const row of v.rows) {
    for (const f of row.filters) if (!f.skipped && row.evaluated) await expect(filterCell(root, row.node, f.plugin)).toHaveAttribute('data-code', f.code);
    if (row.total !== null) await expect(scoreRow(root, row.node).locator('[data-field="total"]')).toHaveText(String(row.total));
  }
  await expect(filterCell(root, 'node-gpu', 'TaintToleration')).toContainText('nvidia.com/gpu');
  const main = page.locator('main');
  await expect(main).toContainText(`合計 ${v.rows.find((r) => r.node === v.selectedNode)!.total} となり選ばれます`);
});

test('tainting node-b makes it fail TaintToleration and the pod moves', async ({ page }) => {
  const before = expected();
  const after = expected({ ...INPUT, nodesYaml: DEFAULT_SCHEDULER_NODES_YAML.replace(TAINT_FROM, TAINT_TO) });
  expect(after.selectedNode).not.toBe(before.selectedNode);
  const root = snippet(page, ID);
  await editFile(page, root, 'nodes', TAINT_FROM, TAINT_TO);
  await root.getByRole('button', { name: '実行' }).click();
  await expect(filterCell(root, 'node-b', 'TaintToleration')).toHaveAttribute('data-code', 'UnschedulableAndUnresolvable');
  await expect(filterCell(root, 'node-b', 'TaintToleration')).toContainText('maintenance');
  await expect(selected(root)).toHaveAttribute('data-node', after.selectedNode!);
});

test('MostAllocated in the profile packs the pod onto the busier node', async ({ page }) => {
  const after = expected({ ...INPUT, profileYaml: DEFAULT_SCHEDULER_PROFILE_YAML.replace('LeastAllocated', 'MostAllocated') });
  const root = snippet(page, ID);
  await editFile(page, root, 'profile', 'LeastAllocated', 'MostAllocated');
  await root.getByRole('button', { name: '実行' }).click();
  await expect(selected(root)).toHaveAttribute('data-node', after.selectedNode!);
  const row = after.rows.find((r) => r.node === after.selectedNode)!;
  await expect(scoreRow(root, row.node).locator('[data-field="total"]')).toHaveText(String(row.total));
});

test('a bad quantity gives a located error in the pod editor and the widget still runs', async ({ page }) => {
  const bad = runSchedulerWidget({ ...INPUT, podYaml: DEFAULT_SCHEDULER_POD_YAML.replace('cpu: 1500m', 'cpu: 1.5x') });
  if (bad.ok) throw new Error('the sim accepted a bad quantity');
  const line = bad.errors[0]!.line!;
  const root = snippet(page, ID);
  await editFile(page, root, 'pod', 'cpu: 1500m', 'cpu: 1.5x');
  await root.getByRole('button', { name: '実行' }).click();
  const alert = root.getByRole('alert');
  await expect(alert).toContainText('pod: ');
  await expect(alert).toContainText(`${line} 行`);
  await editFile(page, root, 'pod', 'cpu: 1.5x', 'cpu: 1500m');
  await root.getByRole('button', { name: '実行' }).click();
  await expect(root.getByRole('alert')).toHaveCount(0);
  await expect(selected(root)).toHaveAttribute('data-node', expected().selectedNode!);
});

test('the English page shows the same cycle', async ({ page }) => {
  const v = expected();
  await page.goto('/en/layer-3/scheduler/');
  const root = snippet(page, ID);
  await hydrated(root);
  await expect(selected(root)).toContainText(`is assigned to ${v.selectedNode}`);
  await expect(page.locator('main')).toContainText(`a total of ${v.rows.find((r) => r.node === v.selectedNode)!.total}, and is chosen`);
});
