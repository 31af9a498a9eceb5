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

const FRAME_PAGES = new Set(['/', '/en/']);

function summarize(violations: { id: string; help: string; nodes: { target: unknown[] }[] }[]): string[] {
  return violations.map((v) => `${v.id}: ${v.nodes.length} × ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n    ')}`);
}

// One test per page: load and hydrate once, scan in the light theme with axe's
// default rule set (WCAG 2.x A/AA plus best practices, no experimental rules),
// then switch the same page to the dark theme and scan what the theme changes:
// colour contrast. The site frame (sidebar) is the same markup on every page of
// a locale, so it is scanned in full on the two overview pages and left out
// elsewhere, which keeps the run inside the CI budget on two cores.
for (const url of pages()) {
  test(`axe: ${url} (light, then dark)`, async ({ page }) => {
    await page.addInitScript(() => localStorage.setItem('starlight-theme', 'light'));
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(url);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    // Bring every widget into view so its island hydrates before the scan.
    for (const w of await page.locator('[data-snippet]').all()) {
      await w.scrollIntoViewIfNeeded();
      await expect(w).toHaveAttribute('data-hydrated', 'true');
    }
    const scan = () => {
      const b = new AxeBuilder({ page });
      if (!FRAME_PAGES.has(url)) b.exclude('.sidebar-pane');
      return b;
    };
    const light = summarize((await scan().analyze()).violations);
    expect(light, `light theme:\n${light.join('\n')}`).toEqual([]);

    await page.emulateMedia({ colorScheme: 'dark' });
    await page.evaluate(() => {
      localStorage.setItem('starlight-theme', 'dark');
      document.documentElement.dataset.theme = 'dark';
    });
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    const dark = summarize((await scan().withRules(['color-contrast', 'link-in-text-block']).analyze()).violations);
    expect(dark, `dark theme:\n${dark.join('\n')}`).toEqual([]);
  });
}
