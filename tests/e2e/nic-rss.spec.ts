// Layer 0 "NIC": the packet-burst widget. Expectations come from the same sim call the page makes.
import { test, expect as baseExpect, type Locator } from '@playwright/test';
import { snippet, hydrated, editLine, ready } from './helpers.ts';
import { runNicBurst, DEFAULT_NIC_BURST, type NicView } from '../../sim/src/index.ts';

// The machine these run on is shared; give hydration, the lazily loaded editor and each run time.
const expect = baseExpect.configure({ timeout: 30_000 });

const PAGE = '/layer-0/nic/';
const ID = 'nic-demo';

function view(text: string): NicView {
  const r = runNicBurst(text, { seed: 1 });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}
const stat = (root: Locator, field: string) => root.locator(`dd[data-field="${field}"]`);
const cpuCell = (root: Locator, cpu: number, field: string) => root.locator(`tr[data-cpu="${cpu}"] td[data-field="${field}"]`);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

test.beforeEach(async ({ page }) => {
  await page.goto(PAGE);
});

test('the default burst shows coalesced interrupts and load spread by RSS', async ({ page }) => {
  const root = snippet(page, ID);
  await ready(root, true);
  await hydrated(root);
  const v = view(DEFAULT_NIC_BURST);
  await expect(stat(root, 'interrupts')).toHaveText(String(v.interrupts));
  for (const c of v.perCpu) await expect(cpuCell(root, c.cpu, 'load')).toHaveText(pct(c.softirqLoad));
  expect(v.perCpu.every((c) => c.packets > 0)).toBe(true);
  await expect(page.locator('main')).toContainText(`割り込みは ${v.interrupts} 回`);
  await expect(root.getByRole('img')).toHaveAttribute('aria-label', new RegExp(`CPU 0: ${pct(v.perCpu[0]!.softirqLoad)}`));
});

test('rx-usecs 0 interrupts per packet; rss false puts every packet on CPU 0', async ({ page }) => {
  const root = snippet(page, ID);
  await ready(root, true);
  const text = await editLine(page, root, 'rx-usecs: 50 ', 'rx-usecs: 0 ');
  await root.getByRole('button', { name: '実行' }).click();
  const per = view(text);
  expect(per.interrupts).toBe(per.delivered);
  await expect(stat(root, 'interrupts')).toHaveText(String(per.interrupts));
  await expect(stat(root, 'latency')).toHaveText(`${per.latencyUs.mean.toFixed(1)} / ${per.latencyUs.p99.toFixed(1)} µs`);

  const text2 = await editLine(page, root, 'rss: true ', 'rss: false ');
  await page.keyboard.press('ControlOrMeta+Enter');
  const off = view(text2);
  await expect(cpuCell(root, 0, 'packets')).toHaveText(String(off.delivered));
  for (const c of [1, 2, 3]) await expect(cpuCell(root, c, 'packets')).toHaveText('0');
  await expect(cpuCell(root, 0, 'load')).toHaveText(pct(off.perCpu[0]!.softirqLoad));
});

test('a misspelt ethtool field gets a located error and the page keeps working', async ({ page }) => {
  const root = snippet(page, ID);
  await ready(root, true);
  const text = await editLine(page, root, 'rx-frames: 32', 'rx-frame: 32');
  const r = runNicBurst(text, { seed: 1 });
  const err = !r.ok ? r.errors[0]! : undefined;
  expect(err).toBeDefined();
  await root.getByRole('button', { name: '実行' }).click();
  const alert = root.getByRole('alert');
  await expect(alert).toContainText(`${err!.line} 行 ${err!.column} 列`);
  await expect(alert).toContainText('unknown field "rx-frame"');
  await page.getByRole('link', { name: 'SR-IOV' }).first().click();
  await expect(page).toHaveURL(/#sriov$/);
  await root.getByRole('button', { name: 'リセット' }).click();
  await expect(root.getByRole('alert')).toHaveCount(0);
  await expect(stat(root, 'interrupts')).toHaveText(String(view(DEFAULT_NIC_BURST).interrupts));
});

test('the English page mirrors it with English labels and the same figures', async ({ page }) => {
  await page.goto('/en/layer-0/nic/');
  const root = snippet(page, ID);
  await ready(root, true);
  await hydrated(root);
  const v = view(DEFAULT_NIC_BURST);
  await expect(stat(root, 'interrupts')).toHaveText(String(v.interrupts));
  await expect(page.locator('main')).toContainText(`cause ${v.interrupts} interrupts`);
  await editLine(page, root, 'packets: 10000', 'packets: 5000000');
  await root.getByRole('button', { name: 'Run' }).click();
  await expect(root.getByRole('alert')).toContainText(/line \d+, column \d+/);
  await expect(root.getByRole('alert')).toContainText('200000');
});
