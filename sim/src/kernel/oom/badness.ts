/**
 * How the OOM killer scores a process, and what /proc/<pid>/oom_score shows.
 * Follows Linux v6.12 mm/oom_kill.c (oom_badness, oom_evaluate_task) and
 * fs/proc/base.c (proc_oom_score):
 *
 *   points = rss + swap entries + page-table pages
 *   points += oom_score_adj * (totalpages / 1000)     ← integer division first
 *   oom_score_adj == -1000 (OOM_SCORE_ADJ_MIN) → not eligible (LONG_MIN)
 *
 *   /proc/<pid>/oom_score = (1000 + points * 1000 / totalpages) * 2 / 3
 *
 * i.e. the badness mapped from [-totalpages, 2*totalpages] onto [0, 2000].
 * This mapping is from Linux 5.9 ("mm, oom: make the calculation of oom
 * badness more accurate"): before it, oom_badness clamped every eligible
 * score to at least 1 and /proc showed points*1000/totalpages — the same
 * 0..2000 range, but an idle adj-0 process read 0 and every negative adj
 * flattened to the same tiny value. Now an eligible process using nothing
 * with adj 0 reads 666; an ineligible one (adj -1000) reads 0. totalpages is RAM + swap for a system-wide OOM and
 * memory.max + swap.max (capped at the swap size) for a cgroup OOM.
 * Backs Layer 1 "OOM killer".
 */
export const OOM_SCORE_ADJ_MIN = -1000;
export const OOM_SCORE_ADJ_MAX = 1000;
export const PAGE_SIZE = 4096;

export interface MmCounters {
  /** Resident pages (anon + file-mapped + shmem). */
  rssPages: number;
  swapPages: number;
  pgtablesBytes: number;
}

/** C `long` division truncates toward zero. */
function cdiv(a: number, b: number): number {
  return Math.trunc(a / b);
}

/** oom_badness(); null stands for LONG_MIN (not eligible). */
export function oomBadness(mm: MmCounters | null, oomScoreAdj: number, totalPages: number, unkillable = false): number | null {
  if (unkillable || !mm) return null;
  if (oomScoreAdj === OOM_SCORE_ADJ_MIN) return null;
  let points = mm.rssPages + mm.swapPages + Math.floor(mm.pgtablesBytes / PAGE_SIZE);
  points += oomScoreAdj * Math.floor(totalPages / 1000);
  return points;
}

/** proc_oom_score(): 0..2000; 0 when not eligible. */
export function procOomScore(badness: number | null, totalPages: number): number {
  if (badness === null) return 0;
  return cdiv((1000 + cdiv(badness * 1000, totalPages)) * 2, 3);
}
