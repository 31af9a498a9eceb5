// Screenshot helper for humans: node tests/support/shot.mjs <url> <out.png> [light|dark] [width] [css selector]
// With a selector, shoots just that element; otherwise the first screen.
import { chromium } from 'playwright-core';
import { findChromium, CHROMIUM_ARGS } from './chromium.mjs';
const [url, out, theme = 'light', width = '1280', selector] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
const page = await browser.newPage({ viewport: { width: Number(width), height: 900 }, colorScheme: theme === 'dark' ? 'dark' : 'light' });
await page.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
await page.goto(url);
await page.waitForTimeout(600);
if (selector) {
  const el = page.locator(selector).first();
  await el.scrollIntoViewIfNeeded();
  await page.waitForTimeout(600);
  await el.screenshot({ path: out });
} else await page.screenshot({ path: out });
await browser.close();
