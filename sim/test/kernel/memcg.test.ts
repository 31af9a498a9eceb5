/**
 * cgroup v2 hierarchy and memory controller after Linux v6.12
 * mm/memcontrol.c and Documentation/admin-guide/cgroup-v2.rst; OOM scoring
 * after mm/oom_kill.c and fs/proc/base.c.
 */
import { describe, expect, it } from 'vitest';
import { CgroupTree, kubepodsPath } from '../../src/kernel/cgroups/hierarchy.ts';
import { MemoryCgroups } from '../../src/kernel/cgroups/memory.ts';
import { parseMemoryLimit } from '../../src/kernel/cgroups/memory-files.ts';
import { oomBadness, procOomScore } from '../../src/kernel/oom/badness.ts';
import { selectBadProcess } from '../../src/kernel/oom/select.ts';
import { runMemoryPressure, DEFAULT_MEMORY_PRESSURE } from '../../src/kernel/cgroups/memory-pressure.ts';
import { Prng } from '../../src/core/prng.ts';

const Mi = 2 ** 20;
const P = 4096;
const ok = <T>(r: { ok: true; value: T } | { ok: false; errors: { message: string }[] }): T => { if (!r.ok) throw new Error(r.errors[0]!.message); return r.value; };

function setup(maxBytes?: string, ramBytes = 4096 * Mi, swapBytes = 0) {
  const tree = new CgroupTree();
  const mem = new MemoryCgroups(tree, ramBytes / P, swapBytes / P);
  const path = kubepodsPath('Burstable', 'aaaa-bbbb', 'c0ffee');
  ok(tree.ensure(path));
  if (maxBytes) ok(tree.write(path, 'memory.max', maxBytes));
  return { tree, mem, path, cg: tree.lookup(path)! };
}

describe('oom_badness and /proc/<pid>/oom_score', () => {
  it('points = rss + swap + pgtables/PAGE_SIZE + adj × (totalpages / 1000)', () => {
    expect(oomBadness({ rssPages: 1000, swapPages: 10, pgtablesBytes: 2 * P }, 0, 1_000_000)).toBe(1012);
    // adj is multiplied by totalpages/1000 rounded down FIRST: 1999 pages → ×1, not ×1.999
    expect(oomBadness({ rssPages: 0, swapPages: 0, pgtablesBytes: 0 }, 500, 1999)).toBe(500);
    expect(oomBadness({ rssPages: 5, swapPages: 0, pgtablesBytes: 0 }, -1000, 1999)).toBeNull();
  });
  it('oom_score maps badness onto 0..2000: (1000 + points·1000/totalpages)·2/3', () => {
    expect(procOomScore(0, 1_048_576)).toBe(666);
    expect(procOomScore(1_048_576, 1_048_576)).toBe(1333);
    expect(procOomScore(2 * 1_048_576, 1_048_576)).toBe(2000);
    expect(procOomScore(-1_048_576, 1_048_576)).toBe(0);
    expect(procOomScore(null, 1_048_576)).toBe(0);
    // C truncation toward zero for negative badness
    expect(procOomScore(-1_000_001, 1_048_576)).toBe(Math.trunc(((1000 + Math.trunc((-1_000_001 * 1000) / 1_048_576)) * 2) / 3));
  });
  it('select_bad_process keeps the highest score; on a tie the later task wins; -1000 is skipped', () => {
    const mm = (r: number) => ({ rssPages: r, swapPages: 0, pgtablesBytes: 0 });
    expect(selectBadProcess([{ hostPid: 1, oomScoreAdj: 0, mm: mm(10) }, { hostPid: 2, oomScoreAdj: 0, mm: mm(10) }], 1000).victim!.hostPid).toBe(2);
    expect(selectBadProcess([{ hostPid: 1, oomScoreAdj: 0, mm: mm(10) }, { hostPid: 2, oomScoreAdj: -1000, mm: mm(99) }], 1000).victim!.hostPid).toBe(1);
    expect(selectBadProcess([{ hostPid: 2, oomScoreAdj: -1000, mm: mm(99) }], 1000).victim).toBeNull();
  });
});

describe('cgroup v2 hierarchy', () => {
  it('lays out kubepods like the systemd driver', () => {
    expect(kubepodsPath('Guaranteed', 'a-b')).toBe('/kubepods.slice/kubepods-poda_b.slice');
    expect(kubepodsPath('Burstable', 'a-b', 'ff')).toBe('/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-poda_b.slice/cri-containerd-ff.scope');
    expect(kubepodsPath('BestEffort', 'a-b')).toBe('/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-poda_b.slice');
  });
  it('controller files appear only where the parent enables the controller; root has no memory.max', () => {
    const tree = new CgroupTree();
    new MemoryCgroups(tree, 1024);
    ok(tree.mkdir('/a'));
    expect(tree.read('/a', 'memory.max').ok).toBe(false);
    ok(tree.write('/', 'cgroup.subtree_control', '+memory'));
    expect(ok(tree.read('/a', 'memory.max'))).toBe('max\n');
    expect(tree.read('/', 'memory.max').ok).toBe(false);
    expect(ok(tree.read('/', 'memory.stat'))).toMatch(/^anon 0\n/);
    expect(ok(tree.read('/a', 'cgroup.controllers'))).toBe('memory\n');
  });
  it('no internal processes; rmdir of a busy cgroup is EBUSY', () => {
    const tree = new CgroupTree();
    new MemoryCgroups(tree, 1024);
    ok(tree.ensure('/a/b'));
    const r = tree.attach(42, '/a');
    expect(r.ok).toBe(false);
    ok(tree.write('/a/b', 'cgroup.procs', '42'));
    expect(ok(tree.read('/a/b', 'cgroup.procs'))).toBe('42\n');
    const rm = tree.rmdir('/a/b');
    expect(!rm.ok && rm.errors[0]!.code).toBe('EBUSY');
  });
  it('memory.max takes bytes, K/M/G suffixes or "max", rounded down to pages', () => {
    expect(parseMemoryLimit('536870912')).toEqual({ ok: true, pages: 131072 });
    expect(parseMemoryLimit('512M')).toEqual({ ok: true, pages: 131072 });
    expect(parseMemoryLimit('4097')).toEqual({ ok: true, pages: 1 });
    expect(parseMemoryLimit('max')).toEqual({ ok: true, pages: Infinity });
    expect(parseMemoryLimit('512Mi').ok).toBe(false);
    const { tree, path } = setup();
    const w = tree.write(path, 'memory.max', '1.5G');
    expect(!w.ok && w.errors[0]!.code).toBe('EINVAL');
    ok(tree.write(path, 'memory.max', '4097'));
    expect(ok(tree.read(path, 'memory.max'))).toBe('4096\n');
  });
});

describe('memory controller', () => {
  it('memory.current = anon + page cache + kernel; memory.stat splits them', () => {
    const { mem, path, tree, cg } = setup('256M');
    mem.addTask(100, 'app', path);
    mem.chargeAnon(100, 1024);
    mem.chargeFile(100, 512);
    const stat = new Map(mem.statLines(cg));
    expect(stat.get('anon')).toBe(1024 * P);
    expect(stat.get('file')).toBe(512 * P);
    expect(stat.get('kernel_stack')).toBe(4 * P);
    expect(stat.get('pagetables')).toBe(2 * P);
    expect(ok(tree.read(path, 'memory.current'))).toBe(`${(1024 + 512 + 4 + 2) * P}\n`);
    // hierarchical: the pod slice and kubepods.slice see the same usage
    expect(mem.usagePages(cg.parent!)).toBe(1024 + 512 + 6);
  });
  it('page cache is reclaimed before anything is killed; anon without swap is not reclaimable', () => {
    const { mem, path, cg } = setup(`${64 * Mi}`);
    mem.addTask(100, 'app', path);
    mem.chargeFile(100, (40 * Mi) / P);
    const r = mem.chargeAnon(100, (30 * Mi) / P);
    expect(r.status).toBe('charged');
    const s = mem.st(cg);
    expect(s.anonPages).toBe((30 * Mi) / P);
    expect(s.inactiveFilePages).toBeLessThan((40 * Mi) / P);
    expect(s.events.max).toBeGreaterThan(0);
    expect(s.events.oom).toBe(0);
  });
  it('anon over memory.max with no swap: oom, oom_kill, the hungriest process dies; events propagate up', () => {
    const { mem, path, cg } = setup(`${64 * Mi}`);
    mem.addTask(100, 'big', path);
    mem.addTask(101, 'small', path);
    mem.chargeAnon(101, (8 * Mi) / P);
    const outcomes: string[] = [];
    for (let i = 0; i < 20 && !outcomes.includes('killed'); i++) outcomes.push(mem.chargeAnon(100, (4 * Mi) / P).status);
    expect(outcomes.at(-1)).toBe('killed');
    expect(outcomes.filter((o) => o === 'charged').length).toBe(outcomes.length - 1);
    const s = mem.st(cg);
    expect(s.events.oom).toBe(1);
    expect(s.events.oom_kill).toBe(1);
    expect(mem.st(cg.parent!).events.oom_kill).toBe(1);
    expect(mem.st(cg.parent!).eventsLocal.oom_kill).toBe(0);
    expect(mem.mms.get(101)!.alive).toBe(true);
    expect(mem.usagePages(cg)).toBeLessThanOrEqual(s.maxPages);
  });
  it('with swap, anon is swapped out instead of killing', () => {
    const { mem, path, cg } = setup(`${64 * Mi}`, 4096 * Mi, 1024 * Mi);
    mem.addTask(100, 'app', path);
    for (let i = 0; i < 20; i++) expect(mem.chargeAnon(100, (4 * Mi) / P).status).toBe('charged');
    expect(mem.st(cg).events.oom).toBe(0);
    expect(mem.swapUsagePages(cg)).toBeGreaterThan(0);
    const adj = mem.mms.get(100)!;
    expect(adj.swapPages + adj.anonPages).toBe((80 * Mi) / P);
  });
  it('memory.oom.group=1 kills every task in the group and counts oom_group_kill', () => {
    const { mem, path, tree, cg } = setup(`${32 * Mi}`);
    ok(tree.write(path, 'memory.oom.group', '1'));
    mem.addTask(100, 'a', path);
    mem.addTask(101, 'b', path);
    for (let i = 0; i < 20; i++) mem.chargeAnon(100, (4 * Mi) / P);
    expect(mem.mms.get(101)!.alive).toBe(false);
    expect(ok(tree.read(path, 'memory.events'))).toBe('low 0\nhigh 0\nmax ' + mem.st(cg).events.max + '\noom 1\noom_kill 2\noom_group_kill 1\n');
  });
  it('oom_score_adj -1000 is never chosen; with nothing killable the charge fails', () => {
    const { mem, path } = setup(`${16 * Mi}`);
    mem.addTask(100, 'a', path, -1000);
    let r;
    for (let i = 0; i < 10; i++) r = mem.chargeAnon(100, (4 * Mi) / P);
    expect(r!.status).toBe('failed');
    expect(mem.mms.get(100)!.alive).toBe(true);
  });
  it('lowering memory.max below usage reclaims, then OOM-kills', () => {
    const { mem, path, tree, cg } = setup();
    mem.addTask(100, 'a', path);
    mem.chargeFile(100, 1000);
    mem.chargeAnon(100, 5000);
    ok(tree.write(path, 'memory.max', `${3000 * P}`));
    expect(mem.st(cg).inactiveFilePages).toBe(0);
    expect(mem.mms.get(100)!.alive).toBe(false);
    expect(mem.st(cg).events.oom_kill).toBe(1);
  });
  it('memory.high throttles instead of killing when reclaim cannot keep up', () => {
    const { mem, path, tree, cg } = setup();
    ok(tree.write(path, 'memory.high', `${32 * Mi}`));
    mem.addTask(100, 'a', path);
    let slept = 0;
    for (let i = 0; i < 400; i++) { const r = mem.chargeAnon(100, 64); if (r.status === 'charged') slept += r.throttleMs; }
    expect(slept).toBeGreaterThan(0);
    expect(mem.st(cg).events.high).toBeGreaterThan(0);
    expect(mem.st(cg).events.oom).toBe(0);
  });
});

describe('node-wide OOM', () => {
  it('with no cgroup limit the node runs out: the highest badness anywhere dies (Burstable over its request before Guaranteed)', () => {
    const tree = new CgroupTree();
    const mem = new MemoryCgroups(tree, (256 * Mi) / P);
    const g = kubepodsPath('Guaranteed', 'g', 'c1');
    const b = kubepodsPath('Burstable', 'b', 'c2');
    ok(tree.ensure(g));
    ok(tree.ensure(b));
    mem.addTask(10, 'guaranteed', g, -997);
    mem.addTask(11, 'burstable', b, 900);
    mem.chargeAnon(10, (150 * Mi) / P);
    const outcomes: string[] = [];
    for (let i = 0; i < 40 && !outcomes.includes('killed'); i++) outcomes.push(mem.chargeAnon(11, (4 * Mi) / P).status);
    expect(outcomes.at(-1)).toBe('killed');
    expect(mem.mms.get(10)!.alive).toBe(true);
    expect(mem.log.some((l) => l.kind === 'oom' && l.cgroup === '/')).toBe(true);
    expect(mem.st(tree.lookup(b)!).events.oom_kill).toBe(1);
    expect(mem.st(tree.lookup(b)!).events.oom).toBe(0);
  });
});

describe('property: no cgroup is over memory.max once a charge completes (300 seeds)', () => {
  it('random workloads on random limits', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const prng = new Prng(seed);
      const swap = prng.chance(0.3) ? prng.intBetween(1, 64) * Mi : 0;
      const { mem, path, tree, cg } = setup(`${prng.intBetween(8, 128) * Mi}`, 4096 * Mi, swap);
      if (prng.chance(0.5)) ok(tree.write(path, 'memory.high', `${prng.intBetween(4, 128) * Mi}`));
      if (prng.chance(0.5)) ok(tree.write(path, 'memory.oom.group', '1'));
      const pids = [100, 101, 102].slice(0, prng.intBetween(1, 4));
      for (const p of pids) mem.addTask(p, `p${p}`, path, prng.intBetween(-999, 1001));
      for (let step = 0; step < 80; step++) {
        const pid = pids[prng.intBetween(0, pids.length)]!;
        const roll = prng.nextFloat();
        if (roll < 0.5) mem.chargeAnon(pid, prng.intBetween(1, 128));
        else if (roll < 0.8) mem.chargeFile(pid, prng.intBetween(1, 256));
        else if (roll < 0.9) mem.freeAnon(pid, prng.intBetween(1, 256));
        else ok(tree.write(path, 'memory.max', `${prng.intBetween(4, 128) * Mi}`));
        for (const c of cg.ancestry()) {
          if (c.isRoot) continue;
          const over = mem.usagePages(c) > mem.st(c).maxPages;
          if (over) throw new Error(`seed ${seed} step ${step}: ${c.path} at ${mem.usagePages(c)} pages > memory.max ${mem.st(c).maxPages}`);
        }
        let sum = 0;
        for (const c of cg.walk()) { const s = mem.st(c); sum += s.anonPages + s.inactiveFilePages + s.activeFilePages + s.kernelStackPages + s.pagetablePages; }
        if (sum !== mem.usagePages(cg)) throw new Error(`seed ${seed}: hierarchical counter drifted`);
      }
    }
  });
});

describe('runMemoryPressure', () => {
  it('default story: page cache goes first, then the group is OOM-killed at memory.max', () => {
    const r = runMemoryPressure(DEFAULT_MEMORY_PRESSURE, { seed: 3 });
    if (!r.ok) throw new Error(r.errors[0]!.message);
    const v = r.value;
    const kinds = v.events.map((e) => e.kind);
    expect(kinds.indexOf('reclaim')).toBeLessThan(kinds.indexOf('oom_kill'));
    expect(v.memoryEvents.oom).toBe(1);
    expect(v.memoryEvents.oom_kill).toBe(2);
    expect(v.memoryEvents.oom_group_kill).toBe(1);
    expect(v.processes.every((p) => p.state === 'oom-killed')).toBe(true);
    expect(Math.max(...v.timeline.map((s) => s.currentBytes))).toBeLessThanOrEqual(512 * Mi);
    const beforeKill = v.timeline.filter((s) => s.tMs < v.processes[0]!.killedAtMs!);
    expect(beforeKill[0]!.fileBytes).toBeGreaterThan(0);
    expect(beforeKill.at(-1)!.fileBytes).toBeLessThan(beforeKill[0]!.fileBytes / 2);
    expect(v.timeline.length).toBeLessThanOrEqual(500);
    expect(v.files['memory.max']).toBe(`${512 * Mi}\n`);
  });
  it('memory.high instead of a hard limit: throttled, never killed', () => {
    const r = runMemoryPressure('memory.high 64Mi\nproc app\nat 0..1000 every 100 app alloc 16Mi\n', { seed: 1 });
    if (!r.ok) throw new Error(r.errors[0]!.message);
    expect(r.value.memoryEvents.oom).toBe(0);
    expect(r.value.memoryEvents.high).toBeGreaterThan(0);
    expect(r.value.processes[0]!.throttledMs).toBeGreaterThan(0);
    expect(r.value.processes[0]!.state).toBe('running');
  });
  it('errors carry line and column', () => {
    const r = runMemoryPressure('memory.max 512Mx\nproc app\nat 0 ghost alloc 1Mi\nfrobnicate\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.line, e.column, e.code])).toEqual([[1, 12, 'BAD_SIZE'], [3, 6, 'UNKNOWN_PROC'], [4, 1, 'UNKNOWN_STATEMENT']]);
  });
  it('same seed, same run', () => {
    const a = runMemoryPressure(DEFAULT_MEMORY_PRESSURE, { seed: 9 });
    const b = runMemoryPressure(DEFAULT_MEMORY_PRESSURE, { seed: 9 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});
