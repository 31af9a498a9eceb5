// axe on every built page, in the light and the dark theme, after widgets hydrate.
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function pages(dir = 'dist'): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name === '_astro' || name === 'pagefind') continue;
      out.push(...pages(p));
    } else if (name === 'index.html') out.push('/' + relative('dist', dir).split('\\').join('/') + (dir === 'dist' ? '' : '/'));
  }
  return out.map((p) => p.replace(/\/+/g, '/'));
}

for (const theme of ['light', 'dark'] as const) {
  for (const url of pages()) {
    test(`axe: ${url} (${theme})`, async ({ page }) => {
      await page.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
      await page.emulateMedia({ colorScheme: theme });
      await page.goto(url);
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      // Bring every widget into view so its island hydrates before the scan.
      for (const w of await page.locator('[data-snippet]').all()) {
        await w.scrollIntoViewIfNeeded();
        await expect(w).toHaveAttribute('data-hydrated', 'true');
      }
      // Light: axe's default rule set (WCAG 2.x A/AA plus best practices, without
      // experimental rules). Dark: only what the theme changes, colour contrast;
      // every other rule sees the same markup it saw in the light run.
      const builder = new AxeBuilder({ page });
      if (theme === 'dark') builder.withRules(['color-contrast', 'link-in-text-block']);
      const results = await builder.analyze();
      const summary = results.violations.map((v) => `${v.id}: ${v.nodes.length} × ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n    ')}`);
      expect(summary, summary.join('\n')).toEqual([]);
    });
  }
}
