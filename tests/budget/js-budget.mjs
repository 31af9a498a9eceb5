// Size budget: the JavaScript a page loads before any widget comes near the
// viewport must stay at or under 60 KB gzipped. For every built page it counts
// the module scripts and inline scripts in the HTML plus everything they import
// statically; island components and renderers (astro-island component-url /
// renderer-url) load only when a widget nears the viewport and are excluded,
// as are dynamic import()s. Prints each page's figure; exits 1 over budget.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, dirname, relative, posix } from 'node:path';
import { gzipSync } from 'node:zlib';

const DIST = 'dist';
const BUDGET = 60 * 1024;

function htmlFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== '_astro' && name !== 'pagefind') out.push(...htmlFiles(p));
    } else if (name.endsWith('.html')) out.push(p);
  }
  return out;
}

const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const STATIC_IMPORT = /(?:^|[;\n}])\s*import\s*(?:[\w$*{},\s]+from\s*)?["']([^"']+)["']|(?:^|[;\n}])\s*export\s*[\w$*{},\s]*from\s*["']([^"']+)["']/g;

function staticGraph(file, seen) {
  if (seen.has(file) || !existsSync(file)) return;
  seen.add(file);
  const src = readFileSync(file, 'utf8');
  for (const m of src.matchAll(STATIC_IMPORT)) {
    const spec = m[1] ?? m[2];
    if (!spec || !(spec.startsWith('.') || spec.startsWith('/'))) continue;
    const target = spec.startsWith('/') ? join(DIST, spec) : join(dirname(file), spec);
    staticGraph(target, seen);
  }
}

let failed = false;
const rows = [];
for (const page of htmlFiles(DIST)) {
  const html = readFileSync(page, 'utf8');
  const files = new Set();
  let inlineBytes = 0;
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    const attrs = m[1];
    const type = /type="([^"]+)"/.exec(attrs)?.[1];
    if (type && !/module|javascript/.test(type)) continue; // JSON-LD etc.
    const src = /src="([^"]+)"/.exec(attrs)?.[1];
    if (src) staticGraph(join(DIST, src.split('?')[0]), files);
    else inlineBytes += gz(Buffer.from(m[2]));
  }
  for (const m of html.matchAll(/<link\b[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) staticGraph(join(DIST, m[1]), files);
  let bytes = inlineBytes;
  for (const f of files) bytes += gz(readFileSync(f));
  const url = '/' + posix.normalize(relative(DIST, page).split('\\').join('/')).replace(/index\.html$/, '');
  const over = bytes > BUDGET;
  failed ||= over;
  rows.push({ url, kb: (bytes / 1024).toFixed(1), files: files.size, over });
}
rows.sort((a, b) => a.url.localeCompare(b.url));
for (const r of rows) console.log(`budget: ${r.url.padEnd(40)} ${r.kb.padStart(6)} KB gzip JS before widgets (${r.files} files)${r.over ? '  OVER 60 KB' : ''}`);
const max = rows.reduce((a, r) => Math.max(a, Number(r.kb)), 0);
console.log(`budget: ${rows.length} pages, largest ${max} KB of ${BUDGET / 1024} KB`);
if (failed) process.exit(1);
