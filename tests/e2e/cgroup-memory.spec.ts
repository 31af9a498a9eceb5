// Layer 1 "cgroup v2 memory": edit the cgroup files and workload, run, and see reclaim,
// memory.high throttling and the OOM kill change as the sim predicts (expectations come
// from the same runMemoryPressure call the page uses).
import { test, expect, type Locator, type Page } from '@playwright/test';
import { snippet, hydrated, replaceText } from './helpers.ts';
import { runMemoryPressure, DEFAULT_MEMORY_PRESSURE } from '../../sim/src/index.ts';


/**
 * Replaces `from` with `to` in the text this test last put in the first file (the default at
 * first) and types the whole result into the editor. helpers.editLine reads the text back
 * from the DOM, which CodeMirror virtualises for long snippets, so it is not used here.
 */
const typed = new WeakMap<Locator, string>();
async function edit(page: Page, root: Locator, from: string, to: string): Promise<string> {
  const current = typed.get(root) ?? DEFAULT_MEMORY_PRESSURE;
  if (!current.includes(from)) throw new Error(`snippet does not contain ${from}`);
  const next = current.replace(from, to);
  await replaceText(page, root, next);
  typed.set(root, next);
  return next;
}

const PAGE = '/layer-1/cgroups-memory/';
const ID = 'memory-pressure';

function sim(text: string) {
  const r = runMemoryPressure(text);
  if (!r.ok) throw new Error(r.errors[0]!.message);
  return r.value;
}
const proc = (v: ReturnType<typeof sim>, name: string) => v.processes.find((p) => p.name === name)!;
const event = (root: Locator, name: string) => root.locator(`td[data-event="${name}"]`);
const cell = (root: Locator, proc: string, field: string) => root.locator(`tr[data-proc="${proc}"] td[data-field="${field}"]`);

test('the default run: page cache reclaimed, then the group OOM-killed; prose quotes the same numbers', async ({ page }) => {
  const v = sim(DEFAULT_MEMORY_PRESSURE);
  await page.goto(PAGE);
  const root = snippet(page, ID);
  await hydrated(root);
  await expect(event(root, 'oom')).toHaveText(String(v.memoryEvents.oom));
  await expect(event(root, 'oom_kill')).toHaveText(String(v.memoryEvents.oom_kill));
  await expect(event(root, 'max')).toHaveText(String(v.memoryEvents.max));
  await expect(cell(root, 'app', 'state')).toHaveAttribute('data-state', 'oom-killed');
  await expect(cell(root, 'logger', 'state')).toHaveAttribute('data-state', 'oom-killed');
  await expect(cell(root, 'app', 'killed-at')).toHaveText(`${proc(v, 'app').killedAtMs} ms`);
  await expect(root.getByRole('img')).toHaveAttribute('aria-label', new RegExp(`app は ${proc(v, 'app').killedAtMs} ms に OOM kill`));
  await expect(page.locator('main')).toContainText(`${proc(v, 'app').killedAtMs} ms に OOM killer が app を選び`);
  await expect(page.locator('main')).toContainText(`oom_kill ${v.memoryEvents.oom_kill}`);
});

test('memory.high slows the leak down (throttled, high events) before the kill', async ({ page }) => {
  const edited = DEFAULT_MEMORY_PRESSURE.replace('memory.high max', 'memory.high 400Mi');
  const v = sim(edited);
  expect(proc(v, 'app').throttledMs).toBeGreaterThan(0);
  await page.goto(PAGE);
  const root = snippet(page, ID);
  await edit(page, root, 'memory.high max', 'memory.high 400Mi');
  await root.getByRole('button', { name: '実行' }).click();
  await expect(event(root, 'high')).toHaveText(String(v.memoryEvents.high));
  await expect(cell(root, 'app', 'throttled')).toHaveText(`${proc(v, 'app').throttledMs} ms`);
  await expect(cell(root, 'app', 'killed-at')).toHaveText(`${proc(v, 'app').killedAtMs} ms`);
  await expect(root).toHaveAttribute('data-state', 'edited');
});

test('memory.oom.group 0 kills only the chosen process; logger survives', async ({ page }) => {
  const v = sim(DEFAULT_MEMORY_PRESSURE.replace('memory.oom.group 1', 'memory.oom.group 0'));
  await page.goto(PAGE);
  const root = snippet(page, ID);
  await edit(page, root, 'memory.oom.group 1', 'memory.oom.group 0');
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(event(root, 'oom_group_kill')).toHaveText(String(v.memoryEvents.oom_group_kill));
  await expect(event(root, 'oom_kill')).toHaveText(String(v.memoryEvents.oom_kill));
  await expect(cell(root, 'logger', 'state')).toHaveAttribute('data-state', proc(v, 'logger').state);
  await expect(cell(root, 'logger', 'state')).toHaveAttribute('data-state', 'running');
});

test('a malformed size gets a located error, and fixing it restores the run', async ({ page }) => {
  await page.goto(PAGE);
  const root = snippet(page, ID);
  const text = await edit(page, root, 'memory.max 512Mi', 'memory.max 512Mx');
  const r = runMemoryPressure(text);
  expect(r.ok).toBe(false);
  if (r.ok) return;
  await root.getByRole('button', { name: '実行' }).click();
  const alert = root.getByRole('alert');
  await expect(alert).toContainText(`${r.errors[0]!.line} 行 ${r.errors[0]!.column} 列`);
  await expect(alert).toContainText('512Mx');
  await expect(root.locator('.cm-lintRange-error')).toHaveCount(1);
  // The rest of the page still works.
  await page.getByRole('link', { name: 'memory.high: 殺さずに減速させる' }).first().click();
  await expect(page).toHaveURL(/#memory-high$/);
  await edit(page, root, 'memory.max 512Mx', 'memory.max 512Mi');
  await root.getByRole('button', { name: '実行' }).click();
  await expect(root.getByRole('alert')).toHaveCount(0);
  await expect(event(root, 'oom_kill')).toHaveText(String(sim(DEFAULT_MEMORY_PRESSURE).memoryEvents.oom_kill));
});

test('English page: a larger memory.max means no kill; bad input is located in English', async ({ page }) => {
  await page.goto('/en/layer-1/cgroups-memory/');
  const root = snippet(page, ID);
  await hydrated(root);
  await expect(root.getByRole('button', { name: 'Run' })).toBeVisible();
  const v = sim(DEFAULT_MEMORY_PRESSURE.replace('memory.max 512Mi', 'memory.max 1Gi'));
  await edit(page, root, 'memory.max 512Mi', 'memory.max 1Gi');
  await root.getByRole('button', { name: 'Run' }).click();
  await expect(event(root, 'oom_kill')).toHaveText(String(v.memoryEvents.oom_kill));
  await expect(cell(root, 'app', 'state')).toHaveAttribute('data-state', 'running');
  await expect(page.locator('main')).toContainText(`oom_kill ${sim(DEFAULT_MEMORY_PRESSURE).memoryEvents.oom_kill}`);
  const text = await edit(page, root, 'memory.max 1Gi', 'memory.max lots');
  const r = runMemoryPressure(text);
  if (r.ok) throw new Error('expected an error');
  await root.getByRole('button', { name: 'Run' }).click();
  await expect(root.getByRole('alert')).toContainText(`line ${r.errors[0]!.line}, column ${r.errors[0]!.column}`);
});
