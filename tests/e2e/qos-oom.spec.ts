// Layer 1 "OOM killer and QoS classes": edit Pod requests/limits (and the node's memory),
// run, and see the QoS class, oom_score_adj, oom_score and kill order change as the sim
// predicts (expectations come from the same runQosOom call the page uses).
import { test, expect, type Locator, type Page } from '@playwright/test';
import { snippet, hydrated, replaceText } from './helpers.ts';
import { runQosOom, DEFAULT_QOS_OOM, DEFAULT_QOS_OOM_NODE, parseNodeMemoryCapacity } from '../../sim/src/index.ts';


/**
 * Replaces `from` with `to` in the text this test last put in the first file (the default at
 * first) and types the whole result into the editor. helpers.editLine reads the text back
 * from the DOM, which CodeMirror virtualises for long snippets, so it is not used here.
 */
const typed = new WeakMap<Locator, string>();
async function edit(page: Page, root: Locator, from: string, to: string): Promise<string> {
  const current = typed.get(root) ?? DEFAULT_QOS_OOM;
  if (!current.includes(from)) throw new Error(`snippet does not contain ${from}`);
  const next = current.replace(from, to);
  await replaceText(page, root, next);
  typed.set(root, next);
  return next;
}

const PAGE = '/layer-1/oom/';
const ID = 'qos-oom';
const NO_DB_LIMITS = '      limits: {cpu: "1", memory: 1Gi}\n';

function sim(pods: string, node = DEFAULT_QOS_OOM_NODE) {
  const cap = parseNodeMemoryCapacity(node);
  if (!cap.ok) throw new Error(cap.errors[0]!.message);
  const r = runQosOom(pods, { memoryCapacityBytes: cap.value });
  if (!r.ok) throw new Error(r.errors[0]!.message);
  return r.value;
}
const podCell = (root: Locator, pod: string) => root.locator(`tr[data-pod="${pod}"] td[data-field="qos"]`);
const procCell = (root: Locator, proc: string, field: string) => root.locator(`tr[data-proc="${proc}"] td[data-field="${field}"]`);
const adjOf = (v: ReturnType<typeof sim>, comm: string) => v.processes.find((p) => p.comm === comm)!;

/** Replaces the whole text of the node file's editor. */
async function editNode(page: Page, root: Locator, from: string, to: string): Promise<string> {
  await hydrated(root);
  const file = root.locator('[data-file="node"]');
  await file.getByRole('textbox').first().click();
  const editor = file.locator('.cm-content');
  await expect(editor).toBeFocused();
  const next = DEFAULT_QOS_OOM_NODE.replace(from, to);
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(next);
  return next;
}

test('the default Pods: one per QoS class, adjs and kill order as the sim computes; prose agrees', async ({ page }) => {
  const v = sim(DEFAULT_QOS_OOM);
  await page.goto(PAGE);
  const root = snippet(page, ID);
  await hydrated(root);
  for (const p of v.pods) await expect(podCell(root, p.name)).toHaveText(p.qosClass);
  for (const name of ['postgres', 'app', 'log-shipper', 'job']) {
    const p = adjOf(v, name);
    await expect(procCell(root, `${p.pod}/${p.container}`, 'adj')).toHaveText(String(p.oomScoreAdj));
    await expect(procCell(root, `${p.pod}/${p.container}`, 'oom_score')).toHaveText(String(p.oomScore));
  }
  const first = v.killOrder[0]!;
  await expect(root.locator('[data-field="kill-order"] li').first()).toHaveAttribute('data-proc', `${first.pod}/${first.container}`);
  await expect(page.locator('main')).toContainText(`oom_score は ${adjOf(v, 'app').oomScore} です`);
});

test('removing the db limits turns Guaranteed into Burstable and raises its oom_score_adj', async ({ page }) => {
  const before = sim(DEFAULT_QOS_OOM);
  const after = sim(DEFAULT_QOS_OOM.replace(NO_DB_LIMITS, ''));
  expect(after.pods[0]!.qosClass).toBe('Burstable');
  await page.goto(PAGE);
  const root = snippet(page, ID);
  await expect(podCell(root, 'db')).toHaveText(before.pods[0]!.qosClass);
  await edit(page, root, NO_DB_LIMITS, '');
  await root.getByRole('button', { name: '実行' }).click();
  await expect(podCell(root, 'db')).toHaveText('Burstable');
  await expect(procCell(root, 'db/postgres', 'adj')).toHaveText(String(adjOf(after, 'postgres').oomScoreAdj));
  await expect(procCell(root, 'db/postgres', 'rank')).toHaveText(String(after.killOrder.find((k) => k.comm === 'postgres')!.rank));
  await expect(root).toHaveAttribute('data-state', 'edited');
});

test('a bigger node raises a Burstable container\'s oom_score_adj', async ({ page }) => {
  const node16 = DEFAULT_QOS_OOM_NODE.replace('memory: 4Gi', 'memory: 16Gi');
  const v = sim(DEFAULT_QOS_OOM, node16);
  await page.goto(PAGE);
  const root = snippet(page, ID);
  await expect(procCell(root, 'web/app', 'adj')).toHaveText(String(adjOf(sim(DEFAULT_QOS_OOM), 'app').oomScoreAdj));
  await editNode(page, root, 'memory: 4Gi', 'memory: 16Gi');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(procCell(root, 'web/app', 'adj')).toHaveText(String(adjOf(v, 'app').oomScoreAdj));
});

test('bad quantities are located: a Pod field by line, column and path; the Node file by its label', async ({ page }) => {
  await page.goto(PAGE);
  const root = snippet(page, ID);
  const text = await edit(page, root, 'memory: 256Mi}', 'memory: 256Mb}');
  const r = runQosOom(text);
  if (r.ok) throw new Error('expected an error');
  await root.getByRole('button', { name: '実行' }).click();
  const alert = root.getByRole('alert');
  await expect(alert).toContainText(`${r.errors[0]!.line} 行 ${r.errors[0]!.column} 列`);
  await expect(alert).toContainText(r.errors[0]!.path!);
  await expect(root.locator('.cm-lintRange-error')).toHaveCount(1);
  // The page still works and the fix clears the error.
  await page.getByRole('link', { name: 'badness と oom_score' }).first().click();
  await expect(page).toHaveURL(/#badness$/);
  await edit(page, root, 'memory: 256Mb}', 'memory: 256Mi}');
  await root.getByRole('button', { name: '実行' }).click();
  await expect(root.getByRole('alert')).toHaveCount(0);
  // The node file: its errors name the file.
  const node = await editNode(page, root, 'memory: 4Gi', 'memory: 4GB');
  const n = parseNodeMemoryCapacity(node);
  if (n.ok) throw new Error('expected an error');
  await root.getByRole('button', { name: '実行' }).click();
  await expect(root.getByRole('alert')).toContainText(`ノード (YAML) · ${n.errors[0]!.line} 行 ${n.errors[0]!.column} 列`);
  await expect(root.getByRole('alert')).toContainText('status.capacity.memory');
});

test('English page: removing limits makes db Burstable; errors read "line N, column M"', async ({ page }) => {
  const after = sim(DEFAULT_QOS_OOM.replace(NO_DB_LIMITS, ''));
  await page.goto('/en/layer-1/oom/');
  const root = snippet(page, ID);
  await hydrated(root);
  await expect(page.locator('main')).toContainText(`its \`oom_score\` is ${adjOf(sim(DEFAULT_QOS_OOM), 'app').oomScore}`.replace(/`/g, ''));
  await edit(page, root, NO_DB_LIMITS, '');
  await root.getByRole('button', { name: 'Run' }).click();
  await expect(podCell(root, 'db')).toHaveText('Burstable');
  await expect(procCell(root, 'db/postgres', 'adj')).toHaveText(String(adjOf(after, 'postgres').oomScoreAdj));
  const text = await edit(page, root, 'memory: 256Mi}', 'memory: lots}');
  const r = runQosOom(text);
  if (r.ok) throw new Error('expected an error');
  await root.getByRole('button', { name: 'Run' }).click();
  await expect(root.getByRole('alert')).toContainText(`line ${r.errors[0]!.line}, column ${r.errors[0]!.column}`);
});
