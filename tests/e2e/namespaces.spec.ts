// Layer 1 "Namespaces": edit the unshare/ip script, run, and check what the sim predicts, in a real browser.
// Expected values are computed with the same sim call the widget makes (runNamespaces), never typed in.
import { test, expect, type Locator, type Page } from '@playwright/test';
import { snippet, hydrated, replaceText } from './helpers.ts';
import { runNamespaces, DEFAULT_NAMESPACES_SCRIPT, DEFAULT_NAMESPACES_SCRIPT_EN, type NamespacesView } from '../../sim/src/index.ts';

const PAGE = '/layer-1/namespaces/';
const ID = 'ns-demo';

function run(text: string): NamespacesView {
  const r = runNamespaces(text);
  if (!r.ok) throw new Error(r.errors[0]!.message);
  return r.value;
}
const outputOf = (v: NamespacesView, command: string) => v.steps.filter((s) => s.command === command).at(-1)!;
/** Replaces `from` with `to` in a known script and types the result into the editor (CodeMirror renders only
 * the lines in view, so the text is computed here rather than read back from the page). */
async function edit(page: Page, root: Locator, base: string, from: string, to: string): Promise<string> {
  if (!base.includes(from)) throw new Error(`script does not contain ${from}`);
  const next = base.replace(from, to);
  await replaceText(page, root, next);
  return next;
}
const stepRow = (root: Locator, line: number) => root.locator(`tr[data-step-line="${line}"] td[data-field="output"]`);

test.beforeEach(async ({ page }) => {
  await page.goto(PAGE);
});

test('the default run shows one process as PID 1 inside and its host PID outside, as the prose says', async ({ page }) => {
  const root = snippet(page, ID);
  const v = run(DEFAULT_NAMESPACES_SCRIPT);
  const getpid = outputOf(v, 'getpid');
  await expect(stepRow(root, getpid.line)).toHaveText(getpid.output.join('\n'));
  const inner = v.final.pidViews.find((p) => p.level === 1)!;
  const fig = root.locator(`figure[data-pidns="${inner.inum}"]`);
  await expect(fig.locator('tbody tr')).toHaveCount(inner.processes.length);
  await expect(fig.locator(`tr[data-host-pid="${inner.initHostPid}"] td[data-field="pid"]`)).toHaveText('1');
  await expect(fig.locator('[data-field="proc"]')).toContainText(inner.processes.map((p) => p.pid).join(' '));
  // The prose quotes the same output, computed from the same sim call at build time.
  await expect(page.locator('main')).toContainText(getpid.output[0]!);
  await expect(page.locator('main')).toContainText(outputOf(v, 'id').output[0]!);
  // The veth peer of the container's eth0 sits in the host namespace.
  const podNet = v.final.nets.find((n) => n.holders.includes(inner.initHostPid!))!;
  await expect(root.locator(`tr[data-netns="${podNet.inum}"][data-dev="eth0"] td[data-field="peer"]`)).toHaveText(`veth0 @ net:[${v.final.nets[0]!.inum}]`);
  await expect(root.getByRole('img', { name: /veth/ })).toBeVisible();
});

test('removing --fork leaves the caller in the host pid namespace; its first child becomes PID 1', async ({ page }) => {
  const root = snippet(page, ID);
  const next = await edit(page, root, DEFAULT_NAMESPACES_SCRIPT, 'unshare --pid --uts --net --mount --fork', 'unshare --pid --uts --net --mount');
  const v = run(next);
  await root.getByRole('button', { name: '実行' }).click();
  const getpid = outputOf(v, 'getpid');
  await expect(stepRow(root, getpid.line)).toHaveText(getpid.output.join('\n'));
  expect(getpid.output[0]).not.toContain('getpid() = 1,');
  const inner = v.final.pidViews.find((p) => p.level === 1)!;
  await expect(root.locator(`figure[data-pidns="${inner.inum}"] tbody tr`)).toHaveCount(inner.processes.length);
  await expect(root.locator(`figure[data-pidns="${inner.inum}"] tr[data-host-pid="${inner.initHostPid}"] td`).nth(2)).toHaveText('sleep');
  await expect(root).toHaveAttribute('data-state', 'edited');
});

test('leaving the host end of the veth down makes the ping fail; the step picker shows earlier states', async ({ page }) => {
  const root = snippet(page, ID);
  const next = await edit(page, root, DEFAULT_NAMESPACES_SCRIPT, 'ip link set veth0 up\n', '');
  const v = run(next);
  await page.keyboard.press('ControlOrMeta+Enter');
  const ping = outputOf(v, 'ping 10.244.1.1');
  await expect(stepRow(root, ping.line)).toHaveText(ping.output.join('\n'));
  await expect(stepRow(root, ping.line)).toContainText('100% packet loss');
  await expect(root.locator(`tr[data-netns="${v.final.nets[0]!.inum}"][data-dev="veth0"] td[data-field="state"]`)).toHaveText('DOWN');
  // Pick the state right after `hostname web-1`: no veth exists yet, and the container's hostname is already set.
  const idx = v.steps.findIndex((s) => s.command === 'hostname web-1');
  await root.getByRole('combobox', { name: '表示する時点' }).selectOption(String(idx));
  const snap = v.steps[idx]!.snapshot;
  await expect(root.locator('tr[data-dev="veth0"]')).toHaveCount(0);
  const c = snap.processes.find((p) => p.hostname === 'web-1' && p.getpid === 1)!;
  await expect(root.locator(`.ns-procs tr[data-host-pid="${c.hostPid}"] td[data-field="hostname"]`)).toHaveText('web-1');
  await expect(root.locator('.ns-procs tbody tr')).toHaveCount(snap.processes.length);
});

test('a malformed command gets a located error and the page keeps working', async ({ page }) => {
  const root = snippet(page, ID);
  const next = await edit(page, root, DEFAULT_NAMESPACES_SCRIPT, 'ip link set ceth0 netns 1002', 'ip link set ceth0 netns');
  const r = runNamespaces(next);
  expect(r.ok).toBe(false);
  const e = !r.ok ? r.errors[0]! : undefined;
  await root.getByRole('button', { name: '実行' }).click();
  const alert = root.getByRole('alert');
  await expect(alert).toContainText(`${e!.line} 行 ${e!.column} 列`);
  await expect(alert).toContainText('usage: ip link set');
  await expect(root.locator('.cm-lintRange-error')).toHaveCount(1);
  await page.getByRole('link', { name: 'user 名前空間: 中の root と外の一般ユーザー' }).first().click();
  await expect(page).toHaveURL(/#user$/);
  await edit(page, root, next, 'ip link set ceth0 netns\n', 'ip link set ceth0 netns 1002\n');
  await root.getByRole('button', { name: '実行' }).click();
  await expect(root.getByRole('alert')).toHaveCount(0);
  const v = run(DEFAULT_NAMESPACES_SCRIPT);
  await expect(stepRow(root, outputOf(v, 'id').line)).toHaveText(outputOf(v, 'id').output.join('\n'));
});

test('the English page shows English comments, labels and the same figures', async ({ page }) => {
  await page.goto('/en/layer-1/namespaces/');
  const root = snippet(page, ID);
  await hydrated(root);
  await expect(root.locator('.snippet-static')).toContainText('From the host bash (pid 1000)');
  const v = run(DEFAULT_NAMESPACES_SCRIPT_EN);
  const id = outputOf(v, 'id');
  await expect(stepRow(root, id.line)).toHaveText(id.output.join('\n'));
  await expect(page.locator('main')).toContainText(id.output[0]!);
  const next = await edit(page, root, DEFAULT_NAMESPACES_SCRIPT_EN, 'unshare --user --map-root-user', 'unshare --user');
  await root.getByRole('button', { name: 'Run' }).click();
  const id2 = outputOf(run(next), 'id');
  await expect(stepRow(root, id2.line)).toHaveText(id2.output.join('\n'));
  await expect(stepRow(root, id2.line)).toContainText('uid=65534');
  await edit(page, root, next, 'hostname web-1', 'hostname web-1 extra');
  await root.getByRole('button', { name: 'Run' }).click();
  await expect(root.getByRole('alert')).toContainText(/line \d+, column \d+/);
  await expect(root.getByRole('combobox', { name: 'Show the state' })).toHaveCount(0);
});
