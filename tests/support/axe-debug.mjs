import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { findChromium, CHROMIUM_ARGS } from '/work/main/tests/support/chromium.mjs';
const b = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
const ctx = await b.newContext(); const page = await ctx.newPage();
await page.goto(process.argv[2]); await page.waitForTimeout(500);
for (const w of await page.locator('[data-snippet]').all()) { await w.scrollIntoViewIfNeeded(); }
await page.waitForTimeout(1500);
const r = await new AxeBuilder({ page }).analyze();
for (const v of r.violations) for (const n of v.nodes) console.log(v.id, '|', n.html.slice(0,200), '|', n.failureSummary);
await b.close();
