// Layer 1 network stack: the packet tracer, edited and run in a real browser.
// Expectations come from the same sim call the widget makes (runPacketTraceWidget).
import { test, expect as baseExpect, type Locator, type Page } from '@playwright/test';
import { snippet } from './helpers.ts';
import { DEFAULT_PACKET_RULES, DEFAULT_PACKET_INPUT, DEFAULT_PACKET_RULES_EN, DEFAULT_PACKET_INPUT_EN } from '../../sim/src/index.ts';
import { runPacketTraceWidget } from '../../src/widgets/packet-trace/Widget.tsx';

// Results appear after a sim run in the browser; allow for a loaded machine.
const expect = baseExpect.configure({ timeout: 30_000 });
const PAGE = '/layer-1/network/';
// The machine running these tests is shared; give hydration (which runs the default sim) time.
test.setTimeout(180_000);
async function ready(root: Locator): Promise<void> {
  await root.scrollIntoViewIfNeeded();
  await expect(root).toHaveAttribute('data-hydrated', 'true', { timeout: 60_000 });
}
const ID = 'packet-trace';

/** Replaces one file's whole text through its CodeMirror editor. */
async function setFile(page: Page, root: Locator, file: string, text: string): Promise<void> {
  await ready(root);
  const box = root.locator(`[data-file="${file}"]`);
  await box.getByRole('textbox').first().click();
  const editor = box.locator('.cm-content');
  await expect(editor).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(text);
}

function sim(rules: string, packets: string) {
  const r = runPacketTraceWidget({ rules, packets }, 1);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

const packet = (root: Locator, n: number) => root.locator(`[data-packet="${n}"]`);

test('the default run shows each packet\'s path, the verdicts and the numbers the prose states', async ({ page }) => {
  await page.goto(PAGE);
  const root = snippet(page, ID);
  await ready(root);
  const v = sim(DEFAULT_PACKET_RULES, DEFAULT_PACKET_INPUT);
  await expect(packet(root, 1)).toHaveAttribute('data-outcome', v.packets[0]!.outcome);
  await expect(packet(root, 1).locator('[data-field="out"]')).toHaveText(v.packets[0]!.packetOut);
  await expect(packet(root, 3).locator('[data-field="out"]')).toHaveText(v.packets[2]!.packetOut);
  // Each hook the first packet passes is listed.
  for (const hook of ['PREROUTING', 'FORWARD', 'POSTROUTING']) await expect(packet(root, 1).locator('[data-kind="hook"]', { hasText: `(${hook})` })).toHaveCount(1);
  for (const d of v.distribution!.byDestination) await expect(root.locator(`tr[data-destination="${d.destination}"] td[data-field="count"]`)).toHaveText(String(d.count));
  await expect(page.locator('main')).toContainText(`${v.packets[0]!.steps.length} 個の段階を通り`);
  await expect(page.locator('main')).toContainText(v.packets[0]!.packetOut);
});

test('a packet from the blocked network is dropped in filter FORWARD', async ({ page }) => {
  await page.goto(PAGE);
  const root = snippet(page, ID);
  await ready(root);
  const edited = DEFAULT_PACKET_INPUT.replaceAll('192.168.1.50:51234', '203.0.113.9:51234');
  const v = sim(DEFAULT_PACKET_RULES, edited);
  expect(v.packets[0]!.outcome).toBe('dropped');
  await setFile(page, root, 'packets', edited);
  await root.getByRole('button', { name: '実行' }).click();
  await expect(packet(root, 1)).toHaveAttribute('data-outcome', 'dropped');
  await expect(packet(root, 1).locator('[data-field="outcome-text"]')).toHaveText(v.packets[0]!.outcomeText);
  await expect(packet(root, 1).locator('[data-kind="verdict"]').filter({ hasText: 'filter:FORWARD' })).toContainText('blocked network');
  await expect(root).toHaveAttribute('data-state', 'edited');
});

test('probability 1 on the first rule sends every new connection to the first Pod', async ({ page }) => {
  await page.goto(PAGE);
  const root = snippet(page, ID);
  await ready(root);
  const edited = DEFAULT_PACKET_RULES.replace('--probability 0.33333333349', '--probability 1');
  const v = sim(edited, DEFAULT_PACKET_INPUT);
  expect(v.distribution!.byDestination).toHaveLength(1);
  await setFile(page, root, 'rules', edited);
  await page.keyboard.press('ControlOrMeta+Enter');
  const only = v.distribution!.byDestination[0]!;
  await expect(root.locator('tr[data-destination]')).toHaveCount(1);
  await expect(root.locator(`tr[data-destination="${only.destination}"] td[data-field="count"]`)).toHaveText(String(only.count));
  await expect(root.locator('tr[data-destination="10.244.1.5:8080"]')).toHaveCount(1);
});

test('a broken rule gets a located error and the page keeps working', async ({ page }) => {
  await page.goto(PAGE);
  const root = snippet(page, ID);
  await ready(root);
  const edited = DEFAULT_PACKET_RULES.replace(' --to-destination 10.244.2.6:8080', '');
  const r = runPacketTraceWidget({ rules: edited, packets: DEFAULT_PACKET_INPUT }, 1);
  expect(r.ok).toBe(false);
  const e = !r.ok ? r.errors[0]! : undefined;
  await setFile(page, root, 'rules', edited);
  await root.getByRole('button', { name: '実行' }).click();
  const alert = root.getByRole('alert');
  await expect(alert).toContainText(`${e!.line} 行 ${e!.column} 列`);
  await expect(root.locator('.cm-lintRange-error')).toHaveCount(1);
  await page.getByRole('link', { name: '送信経路: send() から NIC まで' }).first().click();
  await expect(page).toHaveURL(/#send-path$/);
  await root.getByRole('button', { name: 'リセット' }).click();
  await expect(root.getByRole('alert')).toHaveCount(0);
  await expect(packet(root, 1)).toHaveAttribute('data-outcome', 'forwarded');
});

test('the English page mirrors it with English comments and labels', async ({ page }) => {
  await page.goto('/en/layer-1/network/');
  const root = snippet(page, ID);
  await ready(root);
  const v = sim(DEFAULT_PACKET_RULES_EN, DEFAULT_PACKET_INPUT_EN);
  await expect(root.locator('[data-file="rules"]')).toContainText('A small version of what kube-proxy');
  await expect(packet(root, 1).locator('[data-field="outcome"]')).toHaveText('forwarded');
  await expect(page.locator('main')).toContainText(`passes ${v.packets[0]!.steps.length} steps`);
  const edited = DEFAULT_PACKET_INPUT_EN.replace('packet tcp 192.168.1.50:51234 -> 10.96.0.10:80 in eth0', 'packet tcp 192.168.1.50:51234 -> 10.96.0.10:99999 in eth0');
  const r = runPacketTraceWidget({ rules: DEFAULT_PACKET_RULES_EN, packets: edited }, 1);
  const e = !r.ok ? r.errors[0]! : undefined;
  expect(e?.file).toBe('packets');
  await setFile(page, root, 'packets', edited);
  await root.getByRole('button', { name: 'Run' }).click();
  await expect(root.getByRole('alert')).toContainText(`line ${e!.line}, column ${e!.column}`);
});
