import { test, expect } from '@playwright/test';

test('the overview stack names every layer and opens its chapter', async ({ page }) => {
  await page.goto('/');
  const stack = page.getByRole('navigation', { name: '8 つのレイヤー' });
  for (let n = 0; n <= 7; n++) await expect(stack.getByRole('link', { name: new RegExp(`Layer ${n}`) })).toHaveAttribute('href', `/layer-${n}/`);
  await stack.getByRole('link', { name: /Layer 1/ }).click();
  await expect(page).toHaveURL(/\/layer-1\/$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Layer 1 Linux カーネル');
});

test('section anchors are stable ASCII ids that land on their heading', async ({ page }) => {
  await page.goto('/layer-1/cgroups-cpu/#cpu-max');
  await expect(page.locator('h2#cpu-max')).toBeInViewport();
  await page.goto('/en/layer-1/cgroups-cpu/#kubernetes-mapping');
  await expect(page.locator('h2#kubernetes-mapping')).toBeInViewport();
});

test('the sidebar lists the eight layers in order, in both locales', async ({ page }) => {
  for (const [url, first, last] of [['/', 'Layer 0 ハードウェア', 'Layer 7 PaaS'], ['/en/', 'Layer 0 Hardware', 'Layer 7 PaaS']] as const) {
    await page.goto(url);
    const groups = page.locator('#starlight__sidebar summary');
    const texts = (await groups.allTextContents()).map((t) => t.trim()).filter((t) => t.startsWith('Layer'));
    expect(texts).toHaveLength(8);
    expect(texts[0]).toBe(first);
    expect(texts[7]).toBe(last);
  }
});
