// The Layer 3 kube-apiserver section: edit who calls, the cluster's RBAC objects or the manifest,
// run, and see where the request stops with which status and message. Expected values come from
// the same sim the page uses (runApiRequest with the same edits).
import { test, expect, type Locator, type Page } from '@playwright/test';
import { snippet, hydrated, editorText } from './helpers.ts';
import { runApiRequest, DEFAULT_API_REQUEST, DEFAULT_RBAC, DEFAULT_MANIFEST } from '../../sim/src/index.ts';

const PAGE = '/layer-3/apiserver/';
const ID = 'api-pipeline-demo';

const sim = (o: Partial<{ request: string; rbac: string; manifest: string }> = {}) => {
  const r = runApiRequest({ request: DEFAULT_API_REQUEST, rbac: DEFAULT_RBAC, manifest: DEFAULT_MANIFEST, ...o }, { seed: 1 });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
};
const withoutBinding = (t: string) => t.replace(/---\napiVersion: rbac\.authorization\.k8s\.io\/v1\nkind: RoleBinding[\s\S]*?(?=---)/, '');

/** Opens the editor of one file (request | rbac | manifest) and replaces its text with transform(current). */
async function editFile(page: Page, root: Locator, file: string, transform: (t: string) => string): Promise<string> {
  await hydrated(root);
  const box = root.locator(`[data-file="${file}"]`);
  await box.getByRole('textbox').first().click();
  await expect(box.locator('.cm-content')).toBeFocused();
  const next = transform(await editorText(box));
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(next);
  return next;
}

const statusLine = (root: Locator) => root.locator('[data-field="status-line"]');
const message = (root: Locator) => root.locator('[data-field="message"]');

test.beforeEach(async ({ page }) => {
  await page.goto(PAGE);
});

test('the default request passes every stage: 201, the etcd key and revision the prose states', async ({ page }) => {
  const v = sim();
  const root = snippet(page, ID);
  await hydrated(root);
  await expect(statusLine(root)).toHaveText(v.response.statusLine);
  await expect(root.locator('tr[data-stage]')).toHaveCount(v.stages.length);
  await expect(root.locator('tr[data-outcome="fail"]')).toHaveCount(0);
  await expect(root.locator('[data-field="etcd"]')).toContainText(`${v.etcd!.key}、revision ${v.etcd!.revision}`);
  const main = page.locator('main');
  await expect(main).toContainText(`キー ${v.etcd!.key} に revision ${v.etcd!.revision} で保存`);
  await expect(main).toContainText(`フィールドが ${v.mutations.length} 個書き足されて`);
  await expect(root.locator('[data-field="warning"]')).toContainText('would violate PodSecurity "restricted:latest"');
});

test('removing the RoleBinding turns 201 into 403 with the RBAC sentence, stopped at authorization', async ({ page }) => {
  const v = sim({ rbac: withoutBinding(DEFAULT_RBAC) });
  expect(v.response.message).toBe('pods is forbidden: User "alice" cannot create resource "pods" in API group "" in the namespace "web"');
  const root = snippet(page, ID);
  await editFile(page, root, 'rbac', withoutBinding);
  await root.getByRole('button', { name: '実行' }).click();
  await expect(statusLine(root)).toHaveText('HTTP/1.1 403 Forbidden');
  await expect(message(root)).toContainText(v.response.message);
  await expect(root.locator('tr[data-outcome="fail"]')).toHaveAttribute('data-stage', 'authorization');
  await expect(root.locator('[data-field="stopped"]')).toContainText('認可 (RBAC)');
  await expect(root.locator('[data-field="etcd"]')).toHaveText('etcd には何も書き込まれていません');
  // The prose quotes the same sentence, computed from the same edit at build time.
  await expect(page.locator('[data-example="forbidden"]').first()).toHaveText(v.response.message);
  // Reset brings back the 201.
  await root.getByRole('button', { name: 'リセット' }).click();
  await expect(statusLine(root)).toHaveText('HTTP/1.1 201 Created');
});

test('a forged token stops at authentication with 401; a ServiceAccount token is a different user', async ({ page }) => {
  const root = snippet(page, ID);
  await editFile(page, root, 'request', (t) => t.replace('user: alice\ngroups: [dev]', 'token: forged'));
  await root.getByRole('button', { name: '実行' }).click();
  await expect(statusLine(root)).toHaveText('HTTP/1.1 401 Unauthorized');
  await expect(root.locator('tr[data-stage]')).toHaveCount(1);
  await expect(root.locator('tr[data-outcome="fail"]')).toHaveAttribute('data-stage', 'authentication');

  const sa = sim({ request: DEFAULT_API_REQUEST.replace('user: alice\ngroups: [dev]', 'serviceAccount: web/default') });
  await editFile(page, root, 'request', (t) => t.replace('token: forged', 'serviceAccount: web/default'));
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(root.locator('[data-field="who"]')).toContainText(sa.request.user);
  await expect(statusLine(root)).toHaveText(sa.response.statusLine);
});

test('deleting the image line gives 422 with the field path located in the manifest', async ({ page }) => {
  const v = sim({ manifest: DEFAULT_MANIFEST.replace('    image: nginx:1.27\n', '') });
  const c = v.response.causes[0]!;
  const root = snippet(page, ID);
  await editFile(page, root, 'manifest', (t) => t.replace('    image: nginx:1.27\n', ''));
  await root.getByRole('button', { name: '実行' }).click();
  await expect(statusLine(root)).toHaveText('HTTP/1.1 422 Unprocessable Entity');
  await expect(message(root)).toContainText('Pod "nginx" is invalid: spec.containers[0].image: Required value');
  await expect(root.locator('[data-field="cause"]')).toContainText(`マニフェスト ${c.line} 行 ${c.column} 列`);
  await expect(root.locator('tr[data-outcome="fail"]')).toHaveAttribute('data-stage', 'validation');
});

test('hostNetwork is rejected by PodSecurity (validating admission), a 2-CPU limit by LimitRanger', async ({ page }) => {
  const root = snippet(page, ID);
  await editFile(page, root, 'manifest', (t) => t.replace('spec:\n', 'spec:\n  hostNetwork: true\n'));
  await root.getByRole('button', { name: '実行' }).click();
  await expect(message(root)).toContainText('violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true)');
  await expect(root.locator('tr[data-outcome="fail"]')).toHaveAttribute('data-plugin', 'PodSecurity');

  const cpu = sim({ manifest: DEFAULT_MANIFEST.replace('    ports:\n', '    resources: {limits: {cpu: "2"}}\n    ports:\n') });
  await editFile(page, root, 'manifest', (t) => t.replace('  hostNetwork: true\n', '').replace('    ports:\n', '    resources: {limits: {cpu: "2"}}\n    ports:\n'));
  await root.getByRole('button', { name: '実行' }).click();
  await expect(message(root)).toContainText(cpu.response.message);
  await expect(root.locator('tr[data-outcome="fail"]')).toHaveAttribute('data-plugin', 'LimitRanger');
});

test('broken YAML gets a located error naming the file, and the page keeps working', async ({ page }) => {
  const root = snippet(page, ID);
  const text = await editFile(page, root, 'manifest', (t) => t.replace('  containers:', '  containers: ['));
  await root.getByRole('button', { name: '実行' }).click();
  const line = text.split('\n').findIndex((l) => l.includes('containers: [')) + 2;
  const alert = root.getByRole('alert');
  await expect(alert).toContainText('マニフェスト (送るオブジェクト)');
  await expect(alert).toContainText(`${line} 行 3 列`);
  await expect(root.locator('[data-file="manifest"] .cm-lintRange-error').first()).toBeVisible();
  await expect(root.locator('[data-file="rbac"] .cm-lintRange-error')).toHaveCount(0);
  // The table of contents still works.
  await page.getByRole('link', { name: 'ステータスコードのまとめ' }).first().click();
  await expect(page).toHaveURL(/#status-codes$/);
  // Fixing the line clears the error.
  await editFile(page, root, 'manifest', (t) => t.replace('  containers: [', '  containers:'));
  await root.getByRole('button', { name: '実行' }).click();
  await expect(root.getByRole('alert')).toHaveCount(0);
  await expect(statusLine(root)).toHaveText('HTTP/1.1 201 Created');
});

test('the English page: English labels, same figures, and the same edits', async ({ page }) => {
  const v = sim();
  await page.goto('/en/layer-3/apiserver/');
  const root = snippet(page, ID);
  await hydrated(root);
  await expect(root.getByRole('button', { name: 'Run' })).toBeVisible();
  await expect(statusLine(root)).toHaveText(v.response.statusLine);
  await expect(page.locator('main')).toContainText(`stored in etcd under ${v.etcd!.key} at revision ${v.etcd!.revision}`);
  const qa = sim({ request: DEFAULT_API_REQUEST.replace('groups: [dev]', 'groups: [qa]') });
  await editFile(page, root, 'request', (t) => t.replace('groups: [dev]', 'groups: [qa]'));
  await root.getByRole('button', { name: 'Run' }).click();
  await expect(message(root)).toContainText(qa.response.message);
  await expect(root.locator('[data-field="stopped"]')).toContainText('Stopped at: authorization (RBAC)');
  await editFile(page, root, 'manifest', (t) => t.replace('  containers:', '  containers: ['));
  await root.getByRole('button', { name: 'Run' }).click();
  await expect(root.getByRole('alert')).toContainText(/line \d+, column 3/);
});
