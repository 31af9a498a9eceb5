// Layer 2 CRI section: the kubelet's CRI calls for one pod, stepped; edits to the Pod change the calls and namespaces as the sim predicts.
import { test, expect, type Locator } from '@playwright/test';
import { snippet, hydrated, editLine, openEditor } from './helpers.ts';
import { runCriSequence, DEFAULT_CRI_SEQUENCE } from '../../sim/src/index.ts';


async function waitHydrated(root: Locator): Promise<void> {
  await root.scrollIntoViewIfNeeded();
  await expect(root).toHaveAttribute('data-hydrated', 'true', { timeout: 45_000 });
}


const PAGE = '/layer-2/cri/';
const ID = 'cri-web';
const expected = runCriSequence(DEFAULT_CRI_SEQUENCE, { seed: 1 });
if (!expected.ok) throw new Error('default CRI sequence must run');
const V = expected.value;

const methods = (root: Locator) => root.locator('ol.cri-sequence-calls li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-method')));
const containerCell = (root: Locator, name: string, field: string) => root.locator(`tr[data-container="${name}"] td[data-field="${field}"]`);

// The machine these run on is shared; hydration can take seconds under load.
test.beforeEach(async ({ page }) => {
  test.slow();
  await page.goto(PAGE);
  await waitHydrated(snippet(page, ID));
});

test('the default run lists the calls in the kubelet order and the prose quotes the same numbers', async ({ page }) => {
  const root = snippet(page, ID);
  await hydrated(root);
  expect(await methods(root)).toEqual(V.calls.map((c) => c.method));
  await expect(page.locator('main')).toContainText(`呼び出しは全部で ${V.calls.length} 回です`);
  const pause = V.containers[0]!;
  await expect(containerCell(root, 'pause', 'host-pid')).toHaveText(String(pause.process.host.pid));
  await expect(page.locator('main')).toContainText(`pause がホストの PID ${pause.process.host.pid} で動き`);
  await expect(containerCell(root, 'nginx', 'joined-ns')).toHaveText('net, uts, ipc');
});

test('stepping moves through the calls and shows what happened below each', async ({ page }) => {
  const root = snippet(page, ID);
  await hydrated(root);
  const detail = root.locator('.cri-sequence-detail');
  await expect(detail).toHaveAttribute('data-current-method', 'RunPodSandbox');
  await expect(detail.locator('tr[data-layer="cni"]')).toHaveCount(1);
  await root.getByRole('button', { name: '次の呼び出し' }).click();
  await expect(detail).toHaveAttribute('data-current-method', 'PullImage');
  await root.locator('li[data-method="StopPodSandbox"] button').click();
  await expect(detail).toHaveAttribute('data-current-method', 'StopPodSandbox');
  await expect(detail).toContainText('CNI DEL');
  await expect(root.locator('li[data-method="StopPodSandbox"] button')).toHaveAttribute('aria-current', 'step');
});

test('shareProcessNamespace makes the containers join the pause PID namespace', async ({ page }) => {
  const root = snippet(page, ID);
  const yaml = DEFAULT_CRI_SEQUENCE.replace('spec:\n', 'spec:\n  shareProcessNamespace: true\n');
  const r = runCriSequence(yaml, { seed: 1 });
  if (!r.ok) throw new Error('variant must run');
  const nginx = r.value.containers.find((c) => c.name === 'nginx')!;
  await openEditor(root);
  await editLine(page, root, 'spec:\n', 'spec:\n  shareProcessNamespace: true\n');
  await root.getByRole('button', { name: '実行' }).click();
  await expect(containerCell(root, 'nginx', 'joined-ns')).toContainText('pid');
  await expect(containerCell(root, 'nginx', 'inner-pid')).toHaveText(String(nginx.process.inside.pid));
  expect(nginx.process.inside.pid).not.toBe(1);
});

test('terminationGracePeriodSeconds sets the StopContainer timeout; hostNetwork drops CNI', async ({ page }) => {
  const root = snippet(page, ID);
  await openEditor(root);
  await editLine(page, root, 'spec:\n', 'spec:\n  terminationGracePeriodSeconds: 5\n  hostNetwork: true\n');
  await root.getByRole('button', { name: '実行' }).click();
  await root.locator('li[data-method="StopContainer"] button').first().click();
  await expect(root.locator('[data-field="request"]')).toContainText('timeout: 5');
  await root.locator('li[data-method="RunPodSandbox"] button').click();
  await expect(root.locator('.cri-sequence-detail tr[data-layer="cni"]')).toHaveCount(0);
  await expect(containerCell(root, 'nginx', 'joined-ns')).toHaveText('ipc');
});

test('a missing image fails PullImage and the other container still starts', async ({ page }) => {
  const root = snippet(page, ID);
  await openEditor(root);
  await editLine(page, root, 'image: redis:7', 'image: redis:99');
  await root.getByRole('button', { name: '実行' }).click();
  await expect(root.locator('li[data-method="PullImage"][data-ok="false"]')).toHaveCount(1);
  await expect(root.locator('tr[data-container="redis"]')).toHaveCount(0);
  await expect(root.locator('tr[data-container="nginx"]')).toHaveCount(1);
});

test('a bad manifest gets a located error and the page keeps working', async ({ page }) => {
  const root = snippet(page, ID);
  await openEditor(root);
  await editLine(page, root, 'kind: Pod', 'kind: Deployment');
  await root.getByRole('button', { name: '実行' }).click();
  await expect(root.getByRole('alert')).toContainText('2 行 7 列');
  await expect(root.getByRole('alert')).toContainText('kind must be Pod');
  await page.getByRole('link', { name: 'Pod サンドボックスと pause コンテナ' }).first().click();
  await expect(page).toHaveURL(/#pause$/);
  await editLine(page, root, 'kind: Deployment', 'kind: Pod');
  await root.getByRole('button', { name: '実行' }).click();
  await expect(root.getByRole('alert')).toHaveCount(0);
  expect(await methods(root)).toEqual(V.calls.map((c) => c.method));
});

test('the English page shows the same calls with English labels', async ({ page }) => {
  await page.goto('/en/layer-2/cri/');
  const root = snippet(page, ID);
  await waitHydrated(root);
  await hydrated(root);
  expect(await methods(root)).toEqual(V.calls.map((c) => c.method));
  await expect(page.locator('main')).toContainText(`That takes ${V.calls.length} calls`);
  await root.getByRole('button', { name: 'Next call' }).click();
  await expect(root.locator('.cri-sequence-detail')).toHaveAttribute('data-current-method', 'PullImage');
  await openEditor(root);
  await editLine(page, root, 'kind: Pod', 'kind: Job');
  await root.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(root.getByRole('alert')).toContainText('line 2, column 7');
});
