// Layer 3 kube-proxy: edit a Service/EndpointSlice, run, and check the rules and
// the distribution the sim (kube-proxy rules executed by the netfilter model) predicts.
import { test, expect as baseExpect, type Locator, type Page } from '@playwright/test';
import { snippet } from './helpers.ts';
import { DEFAULT_KUBE_PROXY_YAML, computeProbability } from '../../sim/src/index.ts';
import { runKubeProxyWidget } from '../../src/widgets/kube-proxy/Widget.tsx';

// Results appear after a sim run in the browser; allow for a loaded machine.
const expect = baseExpect.configure({ timeout: 30_000 });
const PAGE = '/layer-3/kube-proxy/';
// The machine running these tests is shared; give hydration (which runs the default sim) time.
test.setTimeout(180_000);
async function ready(root: Locator): Promise<void> {
  await root.scrollIntoViewIfNeeded();
  await expect(root).toHaveAttribute('data-hydrated', 'true', { timeout: 60_000 });
}
const ID = 'kube-proxy';
const EXTRA = '  - addresses: ["10.244.4.11"]\n    conditions: { ready: true }\n    nodeName: node-4\n';

function sim(yaml: string) {
  const r = runKubeProxyWidget({ yaml }, 1);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}
/** Replaces the YAML through CodeMirror (helpers.replaceText, with this spec's longer timeouts). */
async function replaceText(page: Page, root: Locator, text: string): Promise<void> {
  await ready(root);
  await root.getByRole('textbox').first().click();
  const editor = root.locator('.cm-content').first();
  await expect(editor).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(text);
}
const row = (root: Locator, ep: string) => root.locator(`tr[data-endpoint="${ep}"]`);

test('the default run shows the ladder and where 10,000 connections went, as the prose says', async ({ page }) => {
  await page.goto(PAGE);
  const root = snippet(page, ID);
  await ready(root);
  const v = sim(DEFAULT_KUBE_PROXY_YAML);
  for (const c of v.distribution.counts) await expect(row(root, c.endpoint).locator('[data-field="count"]')).toHaveText(String(c.count));
  await expect(row(root, '10.244.1.5:8080').locator('[data-field="probability"]')).toHaveText(computeProbability(3));
  await expect(row(root, '10.244.2.7:8080').locator('[data-field="probability"]')).toHaveText(computeProbability(2));
  await expect(root.locator('[data-field="iptables-save"]')).toContainText('--probability 0.33333333349');
  await expect(page.locator('main')).toContainText(`${v.distribution.counts[0]!.endpoint} が ${v.distribution.counts[0]!.count.toLocaleString('ja-JP')} 本`);
  await expect(root.locator('tr[data-plane="IPVS rr"] td').first()).toHaveText(String(v.comparison![1]!.distribution.counts[0]!.count));
});

test('adding an endpoint rewrites the ladder to 1/4, 1/3, 1/2 and spreads connections over four Pods', async ({ page }) => {
  await page.goto(PAGE);
  const root = snippet(page, ID);
  await ready(root);
  const yaml = DEFAULT_KUBE_PROXY_YAML + EXTRA;
  const v = sim(yaml);
  await replaceText(page, root, yaml);
  await root.getByRole('button', { name: '実行' }).click();
  await expect(root.locator('tr[data-endpoint]')).toHaveCount(4);
  const probs = ['0.2500000000', '0.3333333333', '0.5000000000'];
  for (const [i, c] of v.distribution.counts.entries()) {
    if (i < 3) await expect(row(root, c.endpoint).locator('[data-field="probability"]')).toHaveText(probs[i]!);
    await expect(row(root, c.endpoint).locator('[data-field="count"]')).toHaveText(String(c.count));
    expect(Math.abs(c.share - 0.25)).toBeLessThan(0.03);
  }
  await expect(root.locator('[data-field="iptables-save"]')).toContainText('-j DNAT --to-destination 10.244.4.11:8080');
  await expect(root.locator('[data-field="iptables-save"]')).toContainText('--probability 0.25000000000');
});

test('ClientIP affinity adds -m recent rules that the netfilter model honours', async ({ page }) => {
  await page.goto(PAGE);
  const root = snippet(page, ID);
  await ready(root);
  const yaml = DEFAULT_KUBE_PROXY_YAML.replace('  selector:', '  sessionAffinity: ClientIP\n  selector:');
  const v = sim(yaml);
  await replaceText(page, root, yaml);
  await root.getByRole('button', { name: '実行' }).click();
  await expect(root.locator('[data-field="iptables-save"]')).toContainText('--rcheck --seconds 10800 --reap');
  for (const c of v.distribution.counts) await expect(row(root, c.endpoint).locator('[data-field="count"]')).toHaveText(String(c.count));
});

test('a bad clusterIP gets a located error and the page keeps working', async ({ page }) => {
  await page.goto(PAGE);
  const root = snippet(page, ID);
  await ready(root);
  const yaml = DEFAULT_KUBE_PROXY_YAML.replace('clusterIP: 10.96.0.10', 'clusterIP: banana');
  const r = runKubeProxyWidget({ yaml }, 1);
  const e = !r.ok ? r.errors[0]! : undefined;
  expect(e?.path).toBe('spec.clusterIP');
  await replaceText(page, root, yaml);
  await root.getByRole('button', { name: '実行' }).click();
  await expect(root.getByRole('alert')).toContainText(`${e!.line} 行${e!.column ? ` ${e!.column} 列` : ''}`);
  await expect(root.getByRole('alert')).toContainText('spec.clusterIP');
  await page.getByRole('link', { name: '確率の梯子' }).first().click();
  await expect(page).toHaveURL(/#probability$/);
  await root.getByRole('button', { name: 'リセット' }).click();
  await expect(root.getByRole('alert')).toHaveCount(0);
  await expect(root.locator('tr[data-endpoint]')).toHaveCount(3);
});

test('the English page mirrors it and links back to Layer 1', async ({ page }) => {
  await page.goto('/en/layer-3/kube-proxy/');
  const root = snippet(page, ID);
  await ready(root);
  const v = sim(DEFAULT_KUBE_PROXY_YAML);
  await expect(root.getByRole('button', { name: 'Run' })).toBeVisible();
  await expect(page.locator('main')).toContainText(`${v.distribution.counts[0]!.count.toLocaleString('en-US')} to ${v.distribution.counts[0]!.endpoint}`);
  await expect(page.locator('main a[href="/en/layer-1/network/"]').first()).toBeVisible();
  const yaml = DEFAULT_KUBE_PROXY_YAML.replace('port: 80', 'port: 99999');
  const r = runKubeProxyWidget({ yaml }, 1);
  const e = !r.ok ? r.errors[0]! : undefined;
  await replaceText(page, root, yaml);
  await root.getByRole('button', { name: 'Run' }).click();
  await expect(root.getByRole('alert')).toContainText(`line ${e!.line}`);
  await expect(root.getByRole('alert')).toContainText('port must be 1..65535');
});
