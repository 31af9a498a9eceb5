/**
 * The memory controller: charging, memory.high throttling, reclaim and the
 * cgroup OOM killer, plus its interface files registered on a CgroupTree.
 * Follows Linux v6.12 mm/memcontrol.c (try_charge_memcg, reclaim_high,
 * mem_cgroup_handle_over_high, calculate_high_delay, memory_max_write,
 * memcg_memory_event, mem_cgroup_get_oom_group), mm/vmscan.c (file pages are
 * reclaimable; anon pages only if they can go to swap), mm/oom_kill.c, and
 * Documentation/admin-guide/cgroup-v2.rst.
 *
 *  - memory.current = anon + file (page cache) + kernel (stacks, page tables)
 *    of the cgroup and its descendants. Swapped-out pages are not in it; they
 *    count in memory.swap.current.
 *  - A charge that would push any ancestor past memory.max raises `max`,
 *    reclaims from that ancestor's subtree and retries (up to
 *    MAX_RECLAIM_RETRIES without progress); then `oom` is raised and the OOM
 *    killer picks a victim inside that subtree (oom_badness, totalpages =
 *    memory.max + usable swap). With memory.oom.group=1 the whole group dies.
 *  - Going over memory.high never fails a charge: it raises `high`, reclaims,
 *    and if reclaim cannot keep up the task sleeps
 *    min(2 s, overage² · HZ >> 34 · nr_pages / 64) on its way back to user space.
 *  - Reclaim takes inactive then active page cache first; anon pages only
 *    when swap is available (the cgroup's swap.max and the node's swap). The
 *    real kernel balances both lists by vm.swappiness; file-first is the
 *    limit case that shows why "anon needs swap".
 * Invariant (property-tested): once a charge or a memory.max write has
 * finished, no cgroup's memory.current exceeds its memory.max, except a
 * charge that failed because nothing was killable (reported as `failed`).
 * Times are in ms (HZ = 1000, so jiffies = ms).
 * Backs Layer 1 "cgroup v2 memory" and "OOM killer".
 */
import { type Cgroup, type CgroupController, type CgroupTree } from './hierarchy.ts';
import { emptyEvents, formatEvents, formatLimit, parseMemoryLimit, UNLIMITED, type MemEvent } from './memory-files.ts';
import { PAGE_SIZE, type MmCounters } from '../oom/badness.ts';
import { selectBadProcess, type OomCandidate } from '../oom/select.ts';

export const MEMCG_CHARGE_BATCH = 64;
export const MAX_RECLAIM_RETRIES = 16;
export const SWAP_CLUSTER_MAX = 32;
/** MEMCG_MAX_HIGH_DELAY_JIFFIES = 2 * HZ. */
export const MAX_HIGH_DELAY_MS = 2000;
/** THREAD_SIZE on x86-64: 16 KiB of kernel stack per task. */
export const KERNEL_STACK_PAGES = 4;
/** One page-table page maps 512 pages (x86-64 PTE page). */
export const PTES_PER_PAGE = 512;
const MEMCG_DELAY_PRECISION_SHIFT = 20n;
const MEMCG_DELAY_SCALING_SHIFT = 14n;

export interface MemcgState {
  maxPages: number;
  highPages: number;
  lowPages: number;
  swapMaxPages: number;
  oomGroup: boolean;
  anonPages: number;
  inactiveFilePages: number;
  activeFilePages: number;
  kernelStackPages: number;
  pagetablePages: number;
  swapPages: number;
  peakPages: number;
  /** memory.current and memory.swap.current of this cgroup and its descendants, kept up to date by #add. */
  hierUsagePages: number;
  hierSwapPages: number;
  events: Record<MemEvent, number>;
  eventsLocal: Record<MemEvent, number>;
  pgscan: number;
  pgsteal: number;
  pgfault: number;
}

export interface TaskMm {
  hostPid: number;
  comm: string;
  oomScoreAdj: number;
  anonPages: number;
  swapPages: number;
  pagetablePages: number;
  alive: boolean;
  /** The initial init: never an OOM victim. */
  unkillable: boolean;
}

export type MemLogKind = 'max' | 'reclaim' | 'high' | 'throttle' | 'oom' | 'oom_kill' | 'oom_group_kill' | 'charge_failed';

export interface MemLogEntry {
  kind: MemLogKind;
  cgroup: string;
  hostPid?: number;
  pages?: number;
  message: string;
}

export type ChargeOutcome =
  | { status: 'charged'; throttleMs: number }
  | { status: 'killed' }
  | { status: 'failed'; reason: string };

function newState(): MemcgState {
  return {
    maxPages: UNLIMITED, highPages: UNLIMITED, lowPages: 0, swapMaxPages: UNLIMITED, oomGroup: false,
    anonPages: 0, inactiveFilePages: 0, activeFilePages: 0, kernelStackPages: 0, pagetablePages: 0, swapPages: 0,
    peakPages: 0, hierUsagePages: 0, hierSwapPages: 0, events: emptyEvents(), eventsLocal: emptyEvents(), pgscan: 0, pgsteal: 0, pgfault: 0,
  };
}

export class MemoryCgroups {
  readonly mms = new Map<number, TaskMm>();
  readonly log: MemLogEntry[] = [];
  swapUsedPages = 0;

  readonly tree: CgroupTree;
  readonly nodeRamPages: number;
  readonly nodeSwapPages: number;

  constructor(tree: CgroupTree, nodeRamPages: number, nodeSwapPages = 0) {
    this.tree = tree;
    this.nodeRamPages = nodeRamPages;
    this.nodeSwapPages = nodeSwapPages;
    tree.registerController(this.controller());
  }

  st(cg: Cgroup): MemcgState {
    let s = cg.state.get('memory') as MemcgState | undefined;
    if (!s) {
      s = newState();
      cg.state.set('memory', s);
    }
    return s;
  }

  /** memory.current in pages (hierarchical). For the root: everything charged on the node. */
  usagePages(cg: Cgroup): number {
    return this.st(cg).hierUsagePages;
  }

  swapUsagePages(cg: Cgroup): number {
    return this.st(cg).hierSwapPages;
  }

  /** Changes one local counter of `cg` and the hierarchical totals of it and its ancestors. */
  #add(cg: Cgroup, field: 'anonPages' | 'inactiveFilePages' | 'activeFilePages' | 'kernelStackPages' | 'pagetablePages' | 'swapPages', delta: number): void {
    if (delta === 0) return;
    this.st(cg)[field] += delta;
    for (const c of cg.ancestry()) {
      const cs = this.st(c);
      if (field === 'swapPages') cs.hierSwapPages += delta;
      else cs.hierUsagePages += delta;
    }
  }

  /** The effective limit: the cgroup's memory.max; the root's is the node's RAM. */
  limitPages(cg: Cgroup): number {
    return cg.isRoot ? this.nodeRamPages : this.st(cg).maxPages;
  }

  /** memcg_memory_event: local count here, hierarchical count here and in every non-root ancestor. */
  event(cg: Cgroup, ev: MemEvent): void {
    this.st(cg).eventsLocal[ev]++;
    for (const c of cg.ancestry()) {
      if (c.isRoot && c !== cg) break;
      this.st(c).events[ev]++;
    }
  }

  // --- tasks -------------------------------------------------------------

  /** A new task in cgroup `path`: charges its kernel stack. */
  addTask(hostPid: number, comm: string, path: string, oomScoreAdj = 0, unkillable = false): ChargeOutcome {
    const r = this.tree.attach(hostPid, path);
    if (!r.ok) return { status: 'failed', reason: r.errors[0]!.message };
    const mm: TaskMm = { hostPid, comm, oomScoreAdj, anonPages: 0, swapPages: 0, pagetablePages: 0, alive: true, unkillable };
    this.mms.set(hostPid, mm);
    return this.#charge(mm, KERNEL_STACK_PAGES, 'kernel');
  }

  cgroupOfTask(hostPid: number): Cgroup | undefined {
    return this.tree.cgroupOf(hostPid);
  }

  mmCounters(mm: TaskMm): MmCounters {
    return { rssPages: mm.anonPages, swapPages: mm.swapPages, pgtablesBytes: mm.pagetablePages * PAGE_SIZE };
  }

  /** Faults in `pages` of anonymous memory for the task (one charge; callers batch by MEMCG_CHARGE_BATCH). */
  chargeAnon(hostPid: number, pages: number): ChargeOutcome {
    const mm = this.mms.get(hostPid);
    if (!mm || !mm.alive) return { status: 'failed', reason: `task ${hostPid} is not running` };
    return this.#charge(mm, pages, 'anon');
  }

  /** Reads `pages` of a file into the page cache, charged to the reader's cgroup. */
  chargeFile(hostPid: number, pages: number): ChargeOutcome {
    const mm = this.mms.get(hostPid);
    if (!mm || !mm.alive) return { status: 'failed', reason: `task ${hostPid} is not running` };
    return this.#charge(mm, pages, 'file');
  }

  /** munmap/free of anonymous memory (resident first, then swapped). */
  freeAnon(hostPid: number, pages: number): number {
    const mm = this.mms.get(hostPid);
    const cg = this.tree.cgroupOf(hostPid);
    if (!mm || !cg || !mm.alive) return 0;
    const s = this.st(cg);
    const fromRam = Math.min(pages, mm.anonPages, s.anonPages);
    mm.anonPages -= fromRam;
    this.#add(cg, 'anonPages', -fromRam);
    const fromSwap = Math.min(pages - fromRam, mm.swapPages, s.swapPages);
    mm.swapPages -= fromSwap;
    this.#add(cg, 'swapPages', -fromSwap);
    this.swapUsedPages -= fromSwap;
    this.#syncPagetables(mm, cg);
    return fromRam + fromSwap;
  }

  /** Drops the task's memory: anon, swap, page tables, kernel stack. Page cache it read stays charged to the cgroup. */
  exitTask(hostPid: number): void {
    const mm = this.mms.get(hostPid);
    const cg = this.tree.cgroupOf(hostPid);
    if (!mm || !mm.alive) return;
    if (cg) {
      this.#add(cg, 'anonPages', -mm.anonPages);
      this.#add(cg, 'swapPages', -mm.swapPages);
      this.#add(cg, 'pagetablePages', -mm.pagetablePages);
      this.#add(cg, 'kernelStackPages', -KERNEL_STACK_PAGES);
    }
    this.swapUsedPages -= mm.swapPages;
    mm.anonPages = mm.swapPages = mm.pagetablePages = 0;
    mm.alive = false;
    this.tree.detach(hostPid);
  }

  #pagetablesFor(mm: TaskMm, extraAnon: number): number {
    return Math.ceil((mm.anonPages + mm.swapPages + extraAnon) / PTES_PER_PAGE);
  }

  #syncPagetables(mm: TaskMm, cg: Cgroup): void {
    const want = this.#pagetablesFor(mm, 0);
    this.#add(cg, 'pagetablePages', want - mm.pagetablePages);
    mm.pagetablePages = want;
  }

  // --- charging ------------------------------------------------------------

  /** The lowest cgroup on the way to the root whose limit `extra` more pages would break (mem_over_limit). */
  #overLimit(cg: Cgroup, extra: number): Cgroup | null {
    for (const c of cg.ancestry()) if (this.usagePages(c) + extra > this.limitPages(c)) return c;
    return null;
  }

  /** try_charge_memcg + the return-to-user memory.high handling. */
  #charge(mm: TaskMm, pages: number, kind: 'anon' | 'file' | 'kernel'): ChargeOutcome {
    const cg = this.tree.cgroupOf(mm.hostPid)!;
    const ptExtra = kind === 'anon' ? this.#pagetablesFor(mm, pages) - mm.pagetablePages : 0;
    const nr = pages + ptExtra;
    let retries = MAX_RECLAIM_RETRIES;
    for (let guard = 0; guard < 10000; guard++) {
      const over = this.#overLimit(cg, nr);
      if (!over) break;
      if (!over.isRoot) this.event(over, 'max');
      const reclaimed = this.reclaim(over, Math.max(nr, SWAP_CLUSTER_MAX));
      if (this.usagePages(over) + nr <= this.limitPages(over)) continue;
      // Upstream retries on any progress for charges up to 8 pages; a sim charge stands
      // for a run of single-page faults, each of which would retry on progress.
      if (reclaimed > 0) continue;
      if (retries-- > 0) continue;
      // mem_cgroup_oom / out_of_memory
      const kill = this.outOfMemory(over, mm.hostPid);
      if (!mm.alive) return { status: 'killed' };
      if (!kill) {
        this.log.push({ kind: 'charge_failed', cgroup: over.path, hostPid: mm.hostPid, pages: nr, message: `${mm.comm} (${mm.hostPid}): charge of ${nr} pages fails: no killable task in ${over.name || '/'} (the fault would retry forever)` });
        return { status: 'failed', reason: `no killable task left in ${over.path}` };
      }
      retries = MAX_RECLAIM_RETRIES;
    }
    const s = this.st(cg);
    if (kind === 'anon') {
      this.#add(cg, 'anonPages', pages);
      mm.anonPages += pages;
      this.#add(cg, 'pagetablePages', ptExtra);
      mm.pagetablePages += ptExtra;
      s.pgfault += pages;
    } else if (kind === 'file') this.#add(cg, 'inactiveFilePages', pages);
    else this.#add(cg, 'kernelStackPages', pages);
    for (const c of cg.ancestry()) {
      const cs = this.st(c);
      cs.peakPages = Math.max(cs.peakPages, this.usagePages(c));
    }
    return { status: 'charged', throttleMs: this.#handleOverHigh(cg, mm, Math.max(nr, 1)) };
  }

  /** mem_cgroup_handle_over_high: reclaim, and sleep if reclaim cannot keep up. Returns the sleep in ms. */
  #handleOverHigh(cg: Cgroup, mm: TaskMm, nrPages: number): number {
    if (!this.#maxOverage(cg)) return 0;
    let retries = MAX_RECLAIM_RETRIES;
    let inRetry = false;
    for (let guard = 0; guard < 1000; guard++) {
      const reclaimed = this.#reclaimHigh(cg, inRetry ? SWAP_CLUSTER_MAX : nrPages);
      const overage = this.#maxOverage(cg);
      let penalty = Number((overage * overage * 1000n) >> MEMCG_DELAY_PRECISION_SHIFT >> MEMCG_DELAY_SCALING_SHIFT);
      penalty = Math.floor((penalty * nrPages) / MEMCG_CHARGE_BATCH);
      penalty = Math.min(penalty, MAX_HIGH_DELAY_MS);
      if (penalty <= 10) return 0;
      if (reclaimed > 0 || retries-- > 0) {
        inRetry = true;
        continue;
      }
      this.log.push({ kind: 'throttle', cgroup: cg.path, hostPid: mm.hostPid, message: `${mm.comm} (${mm.hostPid}) sleeps ${penalty} ms: over memory.high and reclaim cannot keep up` });
      return penalty;
    }
    return 0;
  }

  /** mem_find_max_overage: ((usage − high) << 20) / high, the worst over this cgroup's non-root ancestry. */
  #maxOverage(cg: Cgroup): bigint {
    let max = 0n;
    for (const c of cg.ancestry()) {
      if (c.isRoot) break;
      const high = this.st(c).highPages;
      const usage = this.usagePages(c);
      if (high === UNLIMITED || usage <= high) continue;
      const o = (BigInt(usage - high) << MEMCG_DELAY_PRECISION_SHIFT) / BigInt(Math.max(high, 1));
      if (o > max) max = o;
    }
    return max;
  }

  #reclaimHigh(cg: Cgroup, nrPages: number): number {
    let reclaimed = 0;
    for (const c of cg.ancestry()) {
      if (c.isRoot) break;
      const s = this.st(c);
      if (s.highPages === UNLIMITED || this.usagePages(c) <= s.highPages) continue;
      this.event(c, 'high');
      reclaimed += this.reclaim(c, nrPages);
    }
    return reclaimed;
  }

  /** How many more anon pages this cgroup may push to swap (its and its ancestors' swap.max, and the node's free swap). */
  #swapRoom(cg: Cgroup): number {
    let room = this.nodeSwapPages - this.swapUsedPages;
    for (const c of cg.ancestry()) {
      if (c.isRoot) break;
      const max = this.st(c).swapMaxPages;
      if (max !== UNLIMITED) room = Math.min(room, max - this.swapUsagePages(c));
    }
    return Math.max(0, room);
  }

  /**
   * try_to_free_mem_cgroup_pages(target, nrPages): frees up to nrPages from
   * the subtree — inactive file, then active file, then anon to swap if there
   * is room. Returns the pages freed.
   */
  reclaim(target: Cgroup, nrPages: number): number {
    let freed = 0;
    const leaves = [...target.walk()];
    const take = (f: (c: Cgroup, want: number) => number) => {
      for (const c of leaves) {
        if (freed >= nrPages) return;
        freed += f(c, nrPages - freed);
      }
    };
    take((c, want) => { const s = this.st(c); const n = Math.min(want, s.inactiveFilePages); this.#add(c, 'inactiveFilePages', -n); s.pgscan += n; s.pgsteal += n; return n; });
    take((c, want) => { const s = this.st(c); const n = Math.min(want, s.activeFilePages); this.#add(c, 'activeFilePages', -n); s.pgscan += n; s.pgsteal += n; return n; });
    take((c, want) => {
      const s = this.st(c);
      let n = Math.min(want, s.anonPages, this.#swapRoom(c));
      s.pgscan += Math.min(want, s.anonPages);
      if (n <= 0) return 0;
      const done = n;
      for (const pid of c.procs) {
        const mm = this.mms.get(pid);
        if (!mm || !mm.alive || n === 0) continue;
        const k = Math.min(n, mm.anonPages);
        mm.anonPages -= k;
        mm.swapPages += k;
        n -= k;
      }
      const moved = done - n;
      this.#add(c, 'anonPages', -moved);
      this.#add(c, 'swapPages', moved);
      s.pgsteal += moved;
      this.swapUsedPages += moved;
      return moved;
    });
    if (freed > 0) this.log.push({ kind: 'reclaim', cgroup: target.path, pages: freed, message: `reclaimed ${freed} pages (${((freed * PAGE_SIZE) / 1048576).toFixed(1)} MiB) from ${target.name || '/'}` });
    return freed;
  }

  // --- OOM -------------------------------------------------------------------

  /** totalpages for an OOM in `domain`: memory.max + usable swap, or RAM + swap for the whole node. */
  totalPages(domain: Cgroup): number {
    if (domain.isRoot) return this.nodeRamPages + this.nodeSwapPages;
    const max = this.st(domain).maxPages;
    const swap = Math.min(this.st(domain).swapMaxPages, this.nodeSwapPages);
    return (max === UNLIMITED ? this.nodeRamPages : max) + swap;
  }

  /** Tasks of `domain` and its descendants in kernel scan order, as OOM candidates. */
  candidates(domain: Cgroup): OomCandidate[] {
    const out: OomCandidate[] = [];
    for (const c of domain.walk()) {
      for (const pid of c.procs) {
        const mm = this.mms.get(pid);
        if (mm && mm.alive) out.push({ hostPid: pid, oomScoreAdj: mm.oomScoreAdj, mm: this.mmCounters(mm), unkillable: mm.unkillable });
      }
    }
    return out;
  }

  /**
   * out_of_memory for `domain` (a cgroup, or the root for a node-wide OOM):
   * raise `oom`, pick a victim, kill it (and its memory.oom.group).
   * Returns the killed host pids, or null if nothing was killable.
   */
  outOfMemory(domain: Cgroup, triggeredBy?: number): number[] | null {
    if (!domain.isRoot) this.event(domain, 'oom');
    const total = this.totalPages(domain);
    const { victim } = selectBadProcess(this.candidates(domain), total);
    const who = triggeredBy !== undefined ? this.mms.get(triggeredBy) : undefined;
    const head = domain.isRoot ? 'Out of memory' : 'Memory cgroup out of memory';
    this.log.push({ kind: 'oom', cgroup: domain.path, ...(triggeredBy !== undefined ? { hostPid: triggeredBy } : {}), message: `${who ? `${who.comm} invoked oom-killer: ` : ''}${domain.isRoot ? 'the node' : domain.name} is at its limit (${this.usagePages(domain)} pages, totalpages ${total})` });
    if (!victim) return null;
    const victimCg = this.tree.cgroupOf(victim.hostPid)!;
    // mem_cgroup_get_oom_group: the highest cgroup from the victim's up to the OOM domain with memory.oom.group set.
    let group: Cgroup | null = null;
    for (const c of victimCg.ancestry()) {
      if (!c.isRoot && this.st(c).oomGroup) group = c;
      if (c === domain) break;
    }
    const killed = [this.#kill(victim.hostPid, head)];
    if (group) {
      for (const c of [...group.walk()]) {
        for (const pid of [...c.procs]) {
          const mm = this.mms.get(pid);
          if (mm && mm.alive && mm.oomScoreAdj !== -1000 && !mm.unkillable) killed.push(this.#kill(pid, 'Memory cgroup out of memory (oom_group)'));
        }
      }
      this.event(group, 'oom_group_kill');
      this.log.push({ kind: 'oom_group_kill', cgroup: group.path, message: `memory.oom.group=1 in ${group.name}: killed all ${killed.length} tasks` });
    }
    return killed;
  }

  #kill(hostPid: number, head: string): number {
    const mm = this.mms.get(hostPid)!;
    const cg = this.tree.cgroupOf(hostPid)!;
    const kb = (p: number) => p * (PAGE_SIZE / 1024);
    this.event(cg, 'oom_kill');
    this.log.push({ kind: 'oom_kill', cgroup: cg.path, hostPid, pages: mm.anonPages, message: `${head}: Killed process ${hostPid} (${mm.comm}) anon-rss:${kb(mm.anonPages)}kB, file-rss:0kB, shmem-rss:0kB, swap:${kb(mm.swapPages)}kB, pgtables:${kb(mm.pagetablePages)}kB oom_score_adj:${mm.oomScoreAdj}` });
    this.exitTask(hostPid);
    return hostPid;
  }

  // --- writes that act -------------------------------------------------------

  /** memory_max_write: set the limit, then reclaim and OOM-kill until usage fits. */
  setMax(cg: Cgroup, pages: number): void {
    const s = this.st(cg);
    s.maxPages = pages;
    let reclaimsLeft = MAX_RECLAIM_RETRIES;
    for (let guard = 0; guard < 10000; guard++) {
      const usage = this.usagePages(cg);
      if (usage <= pages) return;
      if (reclaimsLeft > 0) {
        if (!this.reclaim(cg, usage - pages)) reclaimsLeft--;
        continue;
      }
      if (!this.outOfMemory(cg)) return;
    }
  }

  /** memory_high_write: set, then reclaim down towards it (never OOM). */
  setHigh(cg: Cgroup, pages: number): void {
    const s = this.st(cg);
    s.highPages = pages;
    let retries = MAX_RECLAIM_RETRIES;
    for (let guard = 0; guard < 10000; guard++) {
      const usage = this.usagePages(cg);
      if (usage <= pages) return;
      if (!this.reclaim(cg, usage - pages) && !retries--) return;
    }
  }

  // --- interface files -------------------------------------------------------

  statLines(cg: Cgroup): [string, number][] {
    const sum = (f: (s: MemcgState) => number) => { let n = 0; for (const c of cg.walk()) n += f(this.st(c)); return n; };
    const b = (p: number) => p * PAGE_SIZE;
    const anon = sum((s) => s.anonPages);
    const inactiveFile = sum((s) => s.inactiveFilePages);
    const activeFile = sum((s) => s.activeFilePages);
    const stack = sum((s) => s.kernelStackPages);
    const pt = sum((s) => s.pagetablePages);
    return [
      ['anon', b(anon)], ['file', b(inactiveFile + activeFile)], ['kernel', b(stack + pt)], ['kernel_stack', b(stack)], ['pagetables', b(pt)],
      ['sock', 0], ['shmem', 0], ['file_mapped', 0], ['file_dirty', 0], ['file_writeback', 0], ['swapcached', 0],
      ['inactive_anon', b(anon)], ['active_anon', 0], ['inactive_file', b(inactiveFile)], ['active_file', b(activeFile)], ['unevictable', 0],
      ['slab_reclaimable', 0], ['slab_unreclaimable', 0], ['slab', 0],
      ['pgscan', sum((s) => s.pgscan)], ['pgsteal', sum((s) => s.pgsteal)], ['pgfault', sum((s) => s.pgfault)], ['pgmajfault', 0],
    ];
  }

  controller(): CgroupController {
    const limitFile = (name: string, get: (s: MemcgState) => number, set: (cg: Cgroup, pages: number) => void) => ({
      name, onRoot: false,
      read: (cg: Cgroup) => `${formatLimit(get(this.st(cg)))}\n`,
      write: (cg: Cgroup, v: string) => { const p = parseMemoryLimit(v, name); if (!p.ok) return { ok: false as const, errno: 'EINVAL', message: p.message, offset: p.offset }; set(cg, p.pages); return { ok: true as const }; },
    });
    return {
      name: 'memory',
      attach: (cg) => void this.st(cg),
      files: [
        { name: 'memory.current', onRoot: false, read: (cg) => `${this.usagePages(cg) * PAGE_SIZE}\n` },
        { name: 'memory.peak', onRoot: false, read: (cg) => `${this.st(cg).peakPages * PAGE_SIZE}\n` },
        limitFile('memory.low', (s) => s.lowPages, (cg, p) => { this.st(cg).lowPages = p; }),
        limitFile('memory.high', (s) => s.highPages, (cg, p) => this.setHigh(cg, p)),
        limitFile('memory.max', (s) => s.maxPages, (cg, p) => this.setMax(cg, p)),
        { name: 'memory.events', onRoot: false, read: (cg) => formatEvents(this.st(cg).events) },
        { name: 'memory.events.local', onRoot: false, read: (cg) => formatEvents(this.st(cg).eventsLocal) },
        { name: 'memory.stat', onRoot: true, read: (cg) => this.statLines(cg).map(([k, v]) => `${k} ${v}\n`).join('') },
        { name: 'memory.oom.group', onRoot: false, read: (cg) => `${this.st(cg).oomGroup ? 1 : 0}\n`,
          write: (cg, v) => { const t = v.trim(); if (t !== '0' && t !== '1') return { ok: false, errno: 'EINVAL', message: 'memory.oom.group takes 0 or 1', offset: 0 }; this.st(cg).oomGroup = t === '1'; return { ok: true }; } },
        { name: 'memory.swap.current', onRoot: false, read: (cg) => `${this.swapUsagePages(cg) * PAGE_SIZE}\n` },
        limitFile('memory.swap.max', (s) => s.swapMaxPages, (cg, p) => { this.st(cg).swapMaxPages = p; }),
      ],
    };
  }
}
