/**
 * The runnable snippet behind Layer 0 "Memory": access patterns → hit rates
 * per level, TLB behaviour with 4 KiB / 2 MiB / 1 GiB pages, NUMA placement
 * → average latency. Several runs side by side so a reader can compare.
 *
 * Input (YAML). Top-level fields are defaults for every run:
 *
 *   accesses: 5000            measured accesses per run (≤ 200,000; ≤ 400,000 in all, warm-up included,
 *                             which keeps any run within a few hundred ms in a browser)
 *   runs:
 *     - name: sequential
 *       pattern: sequential   sequential | strided | random
 *       working_set: 64MiB    bytes touched (≤ 16GiB)
 *       stride: 4KiB          strided only
 *       element: 8            bytes per access (1..64)
 *       pages: 4KiB           4KiB | 2MiB | 1GiB
 *       cpu_node: 0           NUMA node of the thread (0 or 1)
 *       memory: local         local | remote | interleave
 *       warmup: true          run once unmeasured first (steady state)
 */
import { fail, ok, type Result } from '../../core/result.ts';
import { Prng } from '../../core/prng.ts';
import { parseYaml } from '../../api/yaml.ts';
import { FieldReader, isObject, notAMapping, formatBytes } from '../input.ts';
import { simulateAccess, newDataCaches, type AccessResult, type AccessRun, type AccessPattern } from './access.ts';
import { MEMORY_HIERARCHY_TABLE, tlbReachBytes, type PageSize } from './hierarchy.ts';
import type { MemoryPlacement } from './numa.ts';

export const MEMORY_LIMITS = { runsMax: 8, accessesMax: 200_000, totalAccessesMax: 400_000, workingSetMaxBytes: 16 * 1024 ** 3 } as const;

export const DEFAULT_MEMORY_ACCESS = `# 同じ 10,000 回のアクセスでも、並び方と置き場所で平均遅延が何倍も変わる
accesses: 5000
runs:
  - name: L1 に収まる (16 KiB をランダム)
    pattern: random
    working_set: 16KiB
  - name: 順次アクセス (64 MiB)
    pattern: sequential
    working_set: 64MiB
  - name: 4 KiB 飛ばし (64 MiB)
    pattern: strided
    stride: 4KiB
    working_set: 64MiB
  - name: ランダム (1 GiB, 4 KiB ページ)
    pattern: random
    working_set: 1GiB
  - name: ランダム (1 GiB, 2 MiB Huge Page)
    pattern: random
    working_set: 1GiB
    pages: 2MiB
  - name: ランダム (1 GiB, 2 MiB, 別ソケットのメモリ)
    pattern: random
    working_set: 1GiB
    pages: 2MiB
    memory: remote
`;

export interface MemoryRunView extends AccessResult {
  name: string;
  pattern: AccessPattern;
  workingSet: string;
  pageSize: PageSize;
  tlbReach: string;
  cpuNode: number;
  placement: MemoryPlacement;
}

export interface MemoryView {
  hierarchy: typeof MEMORY_HIERARCHY_TABLE;
  runs: MemoryRunView[];
}

const RUN_FIELDS = ['name', 'pattern', 'working_set', 'stride', 'element', 'accesses', 'pages', 'cpu_node', 'memory', 'warmup'] as const;

/** Runs the snippet. Backs Layer 0 "Memory" (hierarchy, huge pages / TLB reach, NUMA). */
export function runMemoryAccess(text: string, options: { seed?: number } = {}): Result<MemoryView> {
  const y = parseYaml(text);
  if (!y.ok) return y;
  const doc = y.value.docs[0];
  if (!isObject(doc)) return fail(notAMapping('the memory snippet'));
  const r = new FieldReader(y.value);
  r.known(doc, '', [...RUN_FIELDS, 'runs']);
  const list = doc.runs === undefined ? [{}] : doc.runs;
  if (!Array.isArray(list) || list.length === 0) {
    r.error('runs', 'runs must be a non-empty list of runs');
    return fail(r.errors);
  }
  if (list.length > MEMORY_LIMITS.runsMax) {
    r.error('runs', `at most ${MEMORY_LIMITS.runsMax} runs (the simulator's limit)`, 'LIMIT_EXCEEDED');
    return fail(r.errors);
  }
  const runs: (AccessRun & { name: string })[] = [];
  let total = 0;
  list.forEach((raw, i) => {
    const path = `runs[${i}]`;
    if (!isObject(raw)) return r.error(path, 'each run is a mapping of fields');
    if (doc.runs !== undefined) r.known(raw, path, RUN_FIELDS);
    const merged = { ...doc, ...raw };
    const at = (k: string) => (k in raw ? path : '');
    const pattern = r.oneOf(merged, 'pattern', at('pattern'), ['sequential', 'strided', 'random'] as const, 'random');
    const workingSetBytes = r.size(merged, 'working_set', at('working_set'), 64, MEMORY_LIMITS.workingSetMaxBytes, 64 * 1024 * 1024);
    const elementBytes = r.int(merged, 'element', at('element'), 1, 64, 8);
    const strideBytes = r.size(merged, 'stride', at('stride'), 1, 1024 * 1024 * 1024, 64);
    const accesses = r.int(merged, 'accesses', at('accesses'), 1, MEMORY_LIMITS.accessesMax, 5_000);
    const pageSize = r.oneOf(merged, 'pages', at('pages'), ['4KiB', '2MiB', '1GiB'] as const, '4KiB');
    const cpuNode = r.int(merged, 'cpu_node', at('cpu_node'), 0, 1, 0) as 0 | 1;
    const placement = r.oneOf(merged, 'memory', at('memory'), ['local', 'remote', 'interleave'] as const, 'local');
    const warmup = r.bool(merged, 'warmup', at('warmup'), true);
    const name = typeof merged.name === 'string' ? merged.name : `run ${i + 1}`;
    total += accesses * (warmup ? 2 : 1);
    runs.push({ name, pattern, workingSetBytes, elementBytes, strideBytes, accesses, pageSize, cpuNode, placement, warmup });
  });
  if (total > MEMORY_LIMITS.totalAccessesMax) r.error(doc.runs === undefined ? 'accesses' : 'runs', `the runs make ${total} accesses in all (warm-up included); the limit is ${MEMORY_LIMITS.totalAccessesMax}`, 'LIMIT_EXCEEDED');
  if (r.errors.length) return fail(r.errors);
  const prng = new Prng(options.seed ?? 1);
  const caches = newDataCaches();
  return ok({
    hierarchy: MEMORY_HIERARCHY_TABLE,
    runs: runs.map((run) => ({
      ...simulateAccess(run, prng.fork(), caches),
      name: run.name,
      pattern: run.pattern,
      workingSet: formatBytes(run.workingSetBytes),
      pageSize: run.pageSize,
      tlbReach: formatBytes(tlbReachBytes(run.pageSize)),
      cpuNode: run.cpuNode,
      placement: run.placement,
    })),
  });
}
