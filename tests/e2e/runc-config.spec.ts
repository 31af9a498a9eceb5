// Layer 2 runc section: editing config.json changes runc's steps and the process view as the sim predicts; bad configs get located errors.
import { test, expect, type Locator, type Page } from '@playwright/test';
import { snippet, hydrated, replaceText } from './helpers.ts';
import { runRuncConfig, DEFAULT_RUNC_CONFIG } from '../../sim/src/index.ts';


async function waitHydrated(root: Locator): Promise<void> {
  await root.scrollIntoViewIfNeeded();
  await expect(root).toHaveAttribute('data-hydrated', 'true', { timeout: 45_000 });
}

/**
 * config.json is longer than the editor's viewport, and CodeMirror renders only
 * visible lines, so edits are applied to the known text and the whole text is
 * replaced. Returns the new text.
 */
async function setConfig(page: Page, root: Locator, text: string): Promise<string> {
  await root.getByRole('textbox').first().click();
  await expect(root.locator('.cm-content')).toBeVisible({ timeout: 30_000 });
  await replaceText(page, root, text);
  return text;
}

const PAGE = '/layer-2/oci-runc/';
const ID = 'runc-nginx';
const expected = runRuncConfig(DEFAULT_RUNC_CONFIG, { seed: 1 });
if (!expected.ok) throw new Error('default runc config must run');
const V = expected.value;
const NET_LINE = '      { "type": "network", "path": "/proc/1206/ns/net" },\n';

const calls = (root: Locator) => root.locator('tr[data-call]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-call')));
const origin = (root: Locator, ns: string) => root.locator(`tr[data-ns="${ns}"] td[data-field="origin"]`);
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

// The machine these run on is shared; hydration can take seconds under load.
test.beforeEach(async ({ page }) => {
  test.slow();
  await page.goto(PAGE);
  await waitHydrated(snippet(page, ID));
});

test('the default run lists runc steps in order and the prose quotes the same values', async ({ page }) => {
  const root = snippet(page, ID);
  await hydrated(root);
  expect(await calls(root)).toEqual(V.steps.map((s) => s.call));
  await expect(root.locator('tr[data-call="setns"]')).toHaveCount(3);
  await expect(origin(root, 'net')).toHaveText('参加');
  await expect(root.locator('[data-field="inner-pid"]')).toHaveText('1');
  await expect(root.locator('tr[data-file="cpu.weight"] td[data-field="value"]')).toHaveText(V.cgroup.files.find((f) => f.file === 'cpu.weight')!.value);
  await expect(page.locator('main')).toContainText(`runc は全部で ${V.steps.length} 個の手順`);
});

test('removing the network namespace entry drops a setns and leaves the host network', async ({ page }) => {
  const root = snippet(page, ID);
  const r = runRuncConfig(DEFAULT_RUNC_CONFIG.replace(NET_LINE, ''), { seed: 1 });
  if (!r.ok) throw new Error('variant must run');
  await setConfig(page, root, DEFAULT_RUNC_CONFIG.replace(NET_LINE, ''));
  await root.getByRole('button', { name: '実行' }).click();
  await expect(root.locator('tr[data-call="setns"]')).toHaveCount(2);
  expect(await calls(root)).toEqual(r.value.steps.map((s) => s.call));
  await expect(origin(root, 'net')).toHaveText('ホストのまま');
});

test('the Layer 1 table follows the edit: without the network entry the container leaves the pod netns for the host one', async ({ page }) => {
  const root = snippet(page, ID);
  const row = (role: string) => root.locator(`tr[data-role="${role}"]`);
  const byRole = (rows: typeof V.layer1, role: string) => rows.find((x) => x.role === role)!;
  await expect(row('container').locator('[data-field="getpid"]')).toHaveText('1');
  await expect(row('container').locator('td[data-ns="net"]')).toHaveText(String(byRole(V.layer1, 'pause').ns.net));
  const r = runRuncConfig(DEFAULT_RUNC_CONFIG.replace(NET_LINE, ''), { seed: 1 });
  if (!r.ok) throw new Error('variant must run');
  const hostNet = String(byRole(r.value.layer1, 'shim').ns.net);
  expect(String(byRole(r.value.layer1, 'container').ns.net)).toBe(hostNet);
  await setConfig(page, root, DEFAULT_RUNC_CONFIG.replace(NET_LINE, ''));
  await root.getByRole('button', { name: '実行' }).click();
  await expect(row('container').locator('td[data-ns="net"]')).toHaveText(hostNet);
  await expect(row('container').locator('[data-field="cgroup"]')).toHaveText(byRole(r.value.layer1, 'container').cgroup);
});

test('a private UTS namespace with a hostname adds sethostname and changes the hostname', async ({ page }) => {
  const root = snippet(page, ID);
  await setConfig(page, root, DEFAULT_RUNC_CONFIG.replace('{ "type": "uts", "path": "/proc/1206/ns/uts" }', '{ "type": "uts" }').replace('"root": {', '"hostname": "web-2",\n  "root": {'));
  await root.getByRole('button', { name: '実行' }).click();
  await expect(root.locator('tr[data-call="sethostname"]')).toHaveCount(1);
  await expect(root.locator('[data-field="hostname"]')).toHaveText('web-2');
  await expect(origin(root, 'uts')).toHaveText('新規作成');
});

test('an unknown namespace type gets a located error; fixing it restores the steps', async ({ page }) => {
  const root = snippet(page, ID);
  const text = await setConfig(page, root, DEFAULT_RUNC_CONFIG.replace('"type": "network"', '"type": "netwrok"'));
  await root.getByRole('button', { name: '実行' }).click();
  const line = lineOf(text, 'netwrok');
  const alert = root.getByRole('alert');
  await expect(alert).toContainText(`${line} 行 17 列`);
  await expect(alert).toContainText('linux.namespaces[4].type');
  await expect(root.locator('.cm-lintRange-error')).toHaveCount(1);
  await page.getByRole('link', { name: 'runc が行うこと、順番どおりに' }).first().click();
  await expect(page).toHaveURL(/#steps$/);
  await replaceText(page, root, DEFAULT_RUNC_CONFIG);
  await root.getByRole('button', { name: '実行' }).click();
  await expect(alert).toHaveCount(0);
  expect(await calls(root)).toEqual(V.steps.map((s) => s.call));
});

test('a relative root that does not exist and a bad cgroupsPath are located errors', async ({ page }) => {
  const root = snippet(page, ID);
  const text = await setConfig(page, root, DEFAULT_RUNC_CONFIG.replace('"path": "rootfs"', '"path": "rootfs2"'));
  await root.getByRole('button', { name: '実行' }).click();
  await expect(root.getByRole('alert')).toContainText(`${lineOf(text, 'rootfs2')} 行 21 列`);
  await expect(root.getByRole('alert')).toContainText('relative paths are resolved against the bundle');
  const text2 = DEFAULT_RUNC_CONFIG.replace('.slice:cri-containerd:', '.slice/cri-containerd/');
  await replaceText(page, root, text2);
  await root.getByRole('button', { name: '実行' }).click();
  await expect(root.getByRole('alert')).toContainText(`${lineOf(text2, 'cgroupsPath')} 行 20 列`);
  await expect(root.getByRole('alert')).toContainText('slice:prefix:name');
});

test('the English page shows the same steps with English labels', async ({ page }) => {
  await page.goto('/en/layer-2/oci-runc/');
  const root = snippet(page, ID);
  await waitHydrated(root);
  await hydrated(root);
  expect(await calls(root)).toEqual(V.steps.map((s) => s.call));
  await expect(origin(root, 'net')).toHaveText('joined');
  await expect(page.locator('main')).toContainText(`runc takes ${V.steps.length} steps`);
  const text = await setConfig(page, root, DEFAULT_RUNC_CONFIG.replace('"cwd": "/",', '"cwd": "/"'));
  await root.getByRole('button', { name: 'Run' }).click();
  await expect(root.getByRole('alert')).toContainText(`line ${lineOf(text, '"cwd": "/"') + 1}, column 5`);
});
