// The Layer 3 kubelet section: the default run matches the prose; making the liveness probe fail
// brings restarts with the back-off the sim computes; a crash loop doubles its waits; bad YAML gets
// a located error; the English page mirrors it. Expected numbers come from the same sim call.
import { test, expect, type Locator, type Page } from '@playwright/test';
import { snippet, editorText } from './helpers.ts';
import { runKubeletPod, DEFAULT_KUBELET_POD, DEFAULT_KUBELET_BEHAVIOUR } from '../../sim/src/index.ts';

const PAGE = '/layer-3/kubelet/';
const ID = 'kubelet-pod-demo';

// The island carries the kubelet, the apiserver and containerd models and runs a 900 s default
// scenario when it hydrates; on a busy machine that can take longer than expect's default 5 s.
test.setTimeout(120_000);

async function hydrated(root: Locator): Promise<void> {
  await root.scrollIntoViewIfNeeded();
  await expect(root).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 });
}

function sim(pod: string, behaviour: string, seed = 1) {
  const r = runKubeletPod({ pod, behaviour }, { seed });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

/** Replaces the whole text of one file of the snippet (helpers.replaceText only reaches the first). */
async function setFile(page: Page, root: Locator, file: string, text: string): Promise<void> {
  await hydrated(root);
  const box = root.locator(`[data-file="${file}"]`);
  await box.getByRole('textbox').first().click();
  const editor = box.locator('.cm-content');
  await expect(editor).toBeFocused({ timeout: 20_000 });
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(text);
}

async function waited(root: Locator): Promise<number[]> {
  const cells = await root.locator('table[data-table="restarts"] td[data-field="waited"]').allTextContents();
  return cells.map((c) => Number.parseInt(c, 10));
}

test('the default run shows the restarts, the back-off and the numbers the prose states', async ({ page }) => {
  await page.goto(PAGE);
  const v = sim(DEFAULT_KUBELET_POD, DEFAULT_KUBELET_BEHAVIOUR);
  const root = snippet(page, ID);
  await hydrated(root);
  await expect(root.locator('tr[data-restart]')).toHaveCount(v.restarts.length, { timeout: 15_000 });
  expect(await waited(root)).toEqual(v.restarts.map((r) => r.waitedS));
  await expect(root.locator('[data-field="final"]')).toContainText(`restartCount ${v.final.restartCounts[0]}`);
  await expect(root.locator('[data-field="final"]')).toContainText(v.final.waiting[0]!);
  await expect(root.locator('[data-field="allocatable"]')).toContainText(`allocatable cpu ${v.node.breakdown.allocatable.milliCPU}m`);
  await expect(page.locator('main')).toContainText(`restartCount は ${v.final.restartCounts[0]}`);
  await expect(page.locator('main')).toContainText(`tick ${v.summary.firstLivenessFailureAt} に、kubelet はコンテナを kill`);
  // The timeline's accessible name states the restarts.
  await expect(root.getByRole('img')).toHaveAttribute('aria-label', new RegExp(`再起動 ${v.restarts.length} 回`));
});

test('making the liveness probe fail earlier brings more restarts, with the back-off the sim computes', async ({ page }) => {
  await page.goto(PAGE);
  const root = snippet(page, ID);
  const behaviour = DEFAULT_KUBELET_BEHAVIOUR.replace('at 200s: /healthz returns 500', 'at 40s: /healthz returns 500');
  const before = sim(DEFAULT_KUBELET_POD, DEFAULT_KUBELET_BEHAVIOUR);
  const v = sim(DEFAULT_KUBELET_POD, behaviour);
  expect(v.restarts.length).toBeGreaterThan(before.restarts.length);
  await setFile(page, root, 'behaviour', behaviour);
  await root.getByRole('button', { name: '実行' }).click();
  await expect(root.locator('tr[data-restart]')).toHaveCount(v.restarts.length, { timeout: 15_000 });
  expect(await waited(root)).toEqual(v.restarts.map((r) => r.waitedS));
  const started = await root.locator('tr[data-restart="1"] td[data-field="started"]').textContent();
  expect(Number(started)).toBe(v.restarts[0]!.startedAt);
  await expect(root.locator('tr[data-restart="1"]')).toContainText('liveness');
  await expect(root).toHaveAttribute('data-state', 'edited');
});

test('a program that exits after 5 s crash-loops: waits 0, then 10 s, 20 s, 40 s … (plus the pod worker retry)', async ({ page }) => {
  await page.goto(PAGE);
  const root = snippet(page, ID);
  const behaviour = 'after 5s: exit 1\nrun 900s\n';
  const v = sim(DEFAULT_KUBELET_POD, behaviour);
  await setFile(page, root, 'behaviour', behaviour);
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(root.locator('tr[data-restart]')).toHaveCount(v.restarts.length, { timeout: 15_000 });
  const w = await waited(root);
  expect(w).toEqual(v.restarts.map((r) => r.waitedS));
  w.forEach((s, i) => {
    const backoff = i === 0 ? 0 : Math.min(10 * 2 ** (i - 1), 300);
    expect(s).toBeGreaterThanOrEqual(backoff);
    expect(s).toBeLessThanOrEqual(backoff + 15);
  });
  await expect(root.locator('[data-field="final"]')).toContainText('CrashLoopBackOff');
});

test('bad YAML gets a located error and the page keeps working', async ({ page }) => {
  await page.goto(PAGE);
  const root = snippet(page, ID);
  await hydrated(root);
  const text = DEFAULT_KUBELET_POD.replace('periodSeconds: 5', 'periodSeconds: 0');
  await setFile(page, root, 'pod', text);
  await root.getByRole('button', { name: '実行' }).click();
  const line = text.split('\n').findIndex((l) => l.includes('periodSeconds: 0')) + 1;
  const col = text.split('\n')[line - 1]!.indexOf('0') + 1;
  const alert = root.getByRole('alert');
  await expect(alert).toContainText(`${line} 行 ${col} 列`);
  await expect(alert).toContainText('periodSeconds must be an integer');
  // A YAML syntax error is located too.
  await setFile(page, root, 'pod', 'apiVersion: v1\nkind: Pod\nmetadata: { name: web\n');
  await root.getByRole('button', { name: '実行' }).click();
  await expect(root.getByRole('alert')).toContainText('行');
  // The rest of the page still works, and Reset restores the default run.
  await page.getByRole('link', { name: 'プローブ' }).first().click();
  await expect(page).toHaveURL(/#probes$/);
  await root.getByRole('button', { name: 'リセット' }).click();
  await expect(root.getByRole('alert')).toHaveCount(0);
  expect(await editorText(root)).toContain('kind: Pod');
  await expect(root.locator('tr[data-restart]')).toHaveCount(sim(DEFAULT_KUBELET_POD, DEFAULT_KUBELET_BEHAVIOUR).restarts.length);
});

test('the English page mirrors it with English labels and the same figures', async ({ page }) => {
  await page.goto('/en/layer-3/kubelet/');
  const v = sim(DEFAULT_KUBELET_POD, DEFAULT_KUBELET_BEHAVIOUR);
  const root = snippet(page, ID);
  await hydrated(root);
  await expect(root.getByRole('button', { name: 'Run' })).toBeVisible();
  await expect(root.locator('[data-field="final"]')).toContainText(`restartCount ${v.final.restartCounts[0]}`);
  await expect(page.locator('main')).toContainText(`the restartCount is ${v.final.restartCounts[0]}`);
  const behaviour = 'after 5s: exit 1\nrun 300s\n';
  const e = sim(DEFAULT_KUBELET_POD, behaviour);
  await setFile(page, root, 'behaviour', behaviour);
  await root.getByRole('button', { name: 'Run' }).click();
  await expect(root.locator('tr[data-restart]')).toHaveCount(e.restarts.length, { timeout: 15_000 });
  await expect(root.locator('tr[data-restart="1"]')).toContainText('process exited');
});
