/**
 * Block-layer I/O scheduling between the page cache / O_DIRECT and the
 * device (Linux block/blk-mq.c, block/mq-deadline.c, v6.x). Two elevators:
 *
 * - `none`: no reordering. blk-mq still merges a bio into the request
 *   submitted just before it when they are contiguous (plug merging,
 *   blk_attempt_plug_merge), so only back-to-back contiguous requests merge.
 * - `mq-deadline`: requests wait in a sector-sorted tree (and a FIFO with
 *   read_expire = HZ/2 = 500 ms, write_expire = 5 s); any contiguous pair is
 *   merged (front or back merge) and dispatch goes in sector order in
 *   batches of fifo_batch = 16. Reads are served before writes
 *   (writes_starved = 2). The model applies the sort and merge to each batch
 *   submitted together and charges a small CPU cost per request.
 *
 * `kyber` and `bfq` exist upstream but are not simulated.
 * A merged request never exceeds max_sectors_kb (default 1280 KiB, the
 * BLK_DEF_MAX_SECTORS_CAP of 2560 × 512-byte sectors, include/linux/blkdev.h).
 */
import type { DeviceCommand } from './ssd.ts';

export type Elevator = 'none' | 'mq-deadline';

/** Default max_sectors_kb expressed in 4 KiB sectors (1280 KiB / 4 KiB). */
export const MAX_REQUEST_SECTORS = 320;
/** mq-deadline fifo_batch (block/mq-deadline.c). */
export const FIFO_BATCH = 16;
/** CPU cost per request of the scheduler's sort/merge bookkeeping, µs (an estimate). */
export const SCHED_COST_US: Record<Elevator, number> = { none: 0, 'mq-deadline': 1 };

export interface ScheduleResult {
  dispatched: DeviceCommand[];
  /** Requests that disappeared into another one (the `merges` column of /proc/diskstats). */
  merges: number;
}

function mergeable(a: DeviceCommand, b: DeviceCommand): boolean {
  return a.op === b.op && a.op !== 'discard' && a.startSector + a.sectors === b.startSector && a.sectors + b.sectors <= MAX_REQUEST_SECTORS;
}

/** Orders and merges one batch of requests submitted together. */
export function schedule(batch: readonly DeviceCommand[], elevator: Elevator): ScheduleResult {
  let order = batch.map((c) => ({ ...c }));
  if (elevator === 'mq-deadline') {
    // Reads first (deadline prefers reads), each direction sorted by sector.
    order = [...order.filter((c) => c.op === 'read'), ...order.filter((c) => c.op !== 'read')];
    order.sort((a, b) => (a.op === 'read' ? 0 : 1) - (b.op === 'read' ? 0 : 1) || a.startSector - b.startSector);
  }
  const dispatched: DeviceCommand[] = [];
  let merges = 0;
  for (const c of order) {
    const last = dispatched[dispatched.length - 1];
    if (last && mergeable(last, c)) {
      last.sectors += c.sectors;
      merges++;
    } else dispatched.push(c);
  }
  return { dispatched, merges };
}
