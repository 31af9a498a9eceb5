// Runs every benchmark script in sim/bench (plain TypeScript, executed by the
// pinned Node 24's type stripping) one after another; each prints its own
// figures, e.g. `raft: N entries/s`, `scheduler: N pods/s`.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const scripts = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
let failed = 0;
for (const f of scripts) {
  console.log(`\n== ${f}`);
  const r = spawnSync(process.execPath, ['--experimental-strip-types', '--no-warnings', join(dir, f)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
