// Finds a Chromium for the browser tests. Order: $CHROMIUM_PATH, Debian's
// /usr/bin/chromium (apt-get install -y chromium), other system Chrome/Chromium
// names, then a browser Playwright installed itself. Playwright cannot download
// its own browser on this project's machines, so the system one is the norm.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'];

export function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist.`);
  }
  for (const c of CANDIDATES) if (existsSync(c)) return c;
  try {
    const own = chromium.executablePath();
    if (own && existsSync(own)) return own;
  } catch {
    /* playwright has no browser of its own */
  }
  throw new Error(
    'No Chromium found for the browser tests.\n' +
      '  On Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y chromium\n' +
      '  Or point CHROMIUM_PATH at any Chrome/Chromium binary, e.g. CHROMIUM_PATH=/path/to/chrome npm test\n' +
      '  (`npx playwright install chromium` also works where downloads are allowed.)',
  );
}

/** Flags for a headless Chromium on a closed network, as root (CI runs as root). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
