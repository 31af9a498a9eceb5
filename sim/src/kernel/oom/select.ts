/**
 * select_bad_process / oom_evaluate_task (Linux v6.12 mm/oom_kill.c): walk
 * the candidates in kernel order — for a cgroup OOM the tasks of the cgroup
 * and its descendants in pre-order (mem_cgroup_scan_tasks), for a
 * system-wide OOM every process — and keep the highest badness. A later task
 * with the SAME score replaces the earlier one (`points < chosen_points`
 * skips only strictly lower scores). Ineligible tasks (adj -1000, init,
 * kernel threads) are skipped.
 */
import { oomBadness, type MmCounters } from './badness.ts';

export interface OomCandidate {
  hostPid: number;
  oomScoreAdj: number;
  mm: MmCounters;
  /** The initial init or a kernel thread. */
  unkillable?: boolean;
}

export interface OomChoice {
  victim: OomCandidate | null;
  /** Every candidate with its badness (null = not eligible), in scan order. */
  scored: { hostPid: number; badness: number | null }[];
}

export function selectBadProcess(candidates: OomCandidate[], totalPages: number): OomChoice {
  let victim: OomCandidate | null = null;
  let chosenPoints = -Infinity;
  const scored: OomChoice['scored'] = [];
  for (const c of candidates) {
    const points = oomBadness(c.mm, c.oomScoreAdj, totalPages, c.unkillable);
    scored.push({ hostPid: c.hostPid, badness: points });
    if (points === null || points < chosenPoints) continue;
    victim = c;
    chosenPoints = points;
  }
  return { victim, scored };
}

/** The order a node-wide OOM killer would take them in if every kill still left the node short: repeated selection. */
export function killOrder(candidates: OomCandidate[], totalPages: number): OomCandidate[] {
  const left = [...candidates];
  const order: OomCandidate[] = [];
  for (;;) {
    const { victim } = selectBadProcess(left, totalPages);
    if (!victim) return order;
    order.push(victim);
    left.splice(left.indexOf(victim), 1);
  }
}
