// Layer 1 "Filesystems and OverlayFS": edit the layers/mount file or the commands, run, and check what the sim predicts.
// Expected values are computed with the same sim call the widget makes (runOverlay), never typed in.
import { test, expect, type Locator, type Page } from '@playwright/test';
import { snippet, hydrated, replaceText } from './helpers.ts';
import { runOverlay, DEFAULT_OVERLAY_LAYERS, DEFAULT_OVERLAY_LAYERS_EN, DEFAULT_OVERLAY_OPS, type OverlayView } from '../../sim/src/index.ts';

const PAGE = '/layer-1/filesystems/';
const ID = 'overlay-demo';

function run(layers: string, ops: string): OverlayView {
  const r = runOverlay(layers, ops);
  if (!r.ok) throw new Error(r.errors[0]!.message);
  return r.value;
}
const cell = (root: Locator, path: string, layer: string) => root.locator(`tr[data-path="${path}"] td[data-layer="${layer}"]`);

/** Opens the editor of the commands file (the second file) and types DEFAULT_OVERLAY_OPS with one piece replaced. */
async function editOps(page: Page, root: Locator, label: string, from: string, to: string): Promise<string> {
  await hydrated(root);
  await root.getByRole('textbox', { name: label }).click();
  const editor = root.locator('[data-file="ops"] .cm-content');
  await expect(editor).toBeFocused();
  if (!DEFAULT_OVERLAY_OPS.includes(from)) throw new Error(`ops do not contain ${from}`);
  const next = DEFAULT_OVERLAY_OPS.replace(from, to);
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(next);
  return next;
}

/** Types `base` with one piece replaced into the first file (layers); the text is computed, not read back. */
async function editLayers(page: Page, root: Locator, base: string, from: string, to: string): Promise<string> {
  if (!base.includes(from)) throw new Error(`layers do not contain ${from}`);
  const next = base.replace(from, to);
  await replaceText(page, root, next);
  return next;
}

test.beforeEach(async ({ page }) => {
  await page.goto(PAGE);
});

test('the default run shows copy-up, whiteouts and an opaque directory, with the figures the prose states', async ({ page }) => {
  const root = snippet(page, ID);
  const v = run(DEFAULT_OVERLAY_LAYERS, DEFAULT_OVERLAY_OPS);
  const after = v.steps.at(-1)!.after;
  const motd = after.merged.find((m) => m.path === '/etc/motd')!;
  await expect(cell(root, '/etc/motd', 'merged')).toContainText(JSON.stringify(motd.data));
  await expect(cell(root, '/etc/motd', 'merged')).toHaveAttribute('data-from', motd.from);
  await expect(cell(root, '/etc/motd', 'app')).toHaveText(JSON.stringify(after.layers.find((l) => l.name === 'app')!.entries.find((e) => e.path === '/etc/motd')!.data));
  await expect(cell(root, '/bin/sh', 'upper')).toHaveText('whiteout (c 0/0)');
  await expect(cell(root, '/bin/sh', 'base')).toContainText('ELF shell');
  await expect(cell(root, '/var/cache', 'upper')).toContainText('opaque');
  await expect(root.locator('tbody tr:not(.ovl-hidden)')).toHaveCount(after.merged.length);
  // The prose quotes the same numbers, computed from the same sim call at build time.
  const rmr = v.steps.find((s) => s.command === 'rm -r /var/cache')!;
  await expect(page.locator('main')).toContainText(`whiteout が ${rmr.events.filter((e) => e.kind === 'whiteout').length} 個できます`);
});

test('writing to a file that only a lower layer has copies it up; the lower copy stays', async ({ page }) => {
  const root = snippet(page, ID);
  const ops = await editOps(page, root, 'コンテナ内で実行するコマンド を編集', 'mkdir /data\n', 'mkdir /data\necho ID=custom > /etc/os-release\n');
  const v = run(DEFAULT_OVERLAY_LAYERS, ops);
  await root.getByRole('button', { name: '実行' }).click();
  const after = v.steps.at(-1)!.after;
  const upper = after.layers.find((l) => l.role === 'upper')!.entries.find((e) => e.path === '/etc/os-release')!;
  await expect(cell(root, '/etc/os-release', 'upper')).toHaveText(JSON.stringify(upper.data));
  await expect(cell(root, '/etc/os-release', 'merged')).toHaveAttribute('data-from', 'upper');
  await expect(cell(root, '/etc/os-release', 'base')).toHaveText('"ID=debian"');
  // Pick that step: its events include the copy-up of /etc/os-release.
  const idx = v.steps.findIndex((s) => s.command.startsWith('echo ID=custom'));
  await root.getByRole('combobox', { name: '表示する時点' }).selectOption(String(idx));
  const copyUps = v.steps[idx]!.events.filter((e) => e.kind === 'copy-up');
  await expect(root.locator('li[data-event="copy-up"]')).toHaveCount(copyUps.length);
  await expect(root.locator('li[data-event="copy-up"]').last()).toContainText('/etc/os-release');
});

test('swapping the lowerdir order changes which /etc/motd wins; the initial state shows it before any write', async ({ page }) => {
  const root = snippet(page, ID);
  const layers = await editLayers(page, root, DEFAULT_OVERLAY_LAYERS, 'lowerdir=app:base', 'lowerdir=base:app');
  const v = run(layers, DEFAULT_OVERLAY_OPS);
  await root.getByRole('button', { name: '実行' }).click();
  await root.getByRole('combobox', { name: '表示する時点' }).selectOption('-1');
  const motd = v.initial.merged.find((m) => m.path === '/etc/motd')!;
  expect(motd.from).toBe('base');
  await expect(cell(root, '/etc/motd', 'merged')).toContainText(JSON.stringify(motd.data));
  await expect(cell(root, '/etc/motd', 'merged')).toHaveAttribute('data-from', 'base');
  await root.getByRole('combobox', { name: '表示する時点' }).selectOption('0');
  await expect(root.locator('pre[data-field="output"]')).toHaveText(v.steps[0]!.output!);
});

test('a relative path in the commands gets a located error in that file and the page keeps working', async ({ page }) => {
  const root = snippet(page, ID);
  const ops = await editOps(page, root, 'コンテナ内で実行するコマンド を編集', 'rm /bin/sh', 'rm bin/sh');
  const r = runOverlay(DEFAULT_OVERLAY_LAYERS, ops);
  expect(r.ok).toBe(false);
  const e = !r.ok ? r.errors[0]! : undefined;
  await root.getByRole('button', { name: '実行' }).click();
  const alert = root.getByRole('alert');
  await expect(alert).toContainText(`コンテナ内で実行するコマンド · ${e!.line} 行 ${e!.column} 列`);
  await expect(alert).toContainText('use an absolute path');
  await expect(root.locator('[data-file="ops"] .cm-lintRange-error')).toHaveCount(1);
  await page.getByRole('link', { name: '削除: whiteout と opaque ディレクトリ' }).first().click();
  await expect(page).toHaveURL(/#whiteout$/);
  await root.getByRole('button', { name: 'リセット' }).click();
  await expect(root.getByRole('alert')).toHaveCount(0);
  await expect(cell(root, '/bin/sh', 'upper')).toHaveText('whiteout (c 0/0)');
});

test('the English page mirrors it with English comments, labels and the same figures', async ({ page }) => {
  await page.goto('/en/layer-1/filesystems/');
  const root = snippet(page, ID);
  await hydrated(root);
  await expect(root.locator('[data-file="layers"] .snippet-static')).toContainText('Two layers of a container image');
  const v = run(DEFAULT_OVERLAY_LAYERS_EN, DEFAULT_OVERLAY_OPS);
  const rmr = v.steps.find((s) => s.command === 'rm -r /var/cache')!;
  await expect(page.locator('main')).toContainText(`makes ${rmr.events.filter((e) => e.kind === 'whiteout').length} whiteouts`);
  const layers = await editLayers(page, root, DEFAULT_OVERLAY_LAYERS_EN, 'workdir=work /merged', 'workdir=work,redirect_dir=on /merged');
  const v2 = run(layers, DEFAULT_OVERLAY_OPS);
  await root.getByRole('button', { name: 'Run' }).click();
  const srv = v2.steps.at(-1)!.after.layers.find((l) => l.role === 'upper')!.entries.find((e) => e.path === '/srv')!;
  await expect(cell(root, '/srv', 'upper')).toContainText(`→ ${srv.redirect}`);
  await expect(cell(root, '/srv/server.js', 'merged')).toHaveAttribute('data-from', 'app');
  await editLayers(page, root, layers, 'redirect_dir=on', 'redirect_dir=maybe');
  await root.getByRole('button', { name: 'Run' }).click();
  await expect(root.getByRole('alert')).toContainText(/layers and mount · line \d+, column \d+/);
});
