/**
 * The SSD as a timed device: an NVMe command (read, write or deallocate of a
 * sector range) is split into NAND operations on dies; each die works on one
 * operation at a time, dies work in parallel. 1 tick = 1 µs.
 *
 * Costs: a read pays tR once per distinct 16 KiB NAND page it touches on a
 * die; a write pays tPROG / 4 per 4 KiB sector (four sectors share one
 * page program); garbage collection triggered by a write is paid on the
 * victim's die before the write proceeds (copies: read + program; then an
 * erase). That is why random overwrites on a full drive show latency spikes
 * (p99) long before the mean moves.
 */
import { Ftl, type FtlGeometry, type GcWork } from './ftl.ts';
import { SECTORS_PER_NAND_PAGE, TLC_TIMING, type NandTiming } from './nand.ts';

export type IoOp = 'read' | 'write' | 'discard';

/** A block-layer request as dispatched to the device (sectors are 4 KiB). */
export interface DeviceCommand {
  op: IoOp;
  startSector: number;
  sectors: number;
}

export class Ssd {
  readonly ftl: Ftl;
  readonly timing: NandTiming;
  /** When each die finishes its queued work, µs. */
  readonly dieFreeAtUs: number[];
  /** Total NAND busy time per die, µs (utilisation = busy / elapsed). */
  readonly dieBusyUs: number[];
  commands = 0;

  constructor(geometry: FtlGeometry, timing: NandTiming = TLC_TIMING) {
    this.ftl = new Ftl(geometry);
    this.timing = timing;
    this.dieFreeAtUs = new Array<number>(geometry.dies).fill(0);
    this.dieBusyUs = new Array<number>(geometry.dies).fill(0);
  }

  #occupy(die: number, atUs: number, workUs: number): number {
    const start = Math.max(atUs, this.dieFreeAtUs[die]!);
    const end = start + workUs;
    this.dieFreeAtUs[die] = end;
    this.dieBusyUs[die]! += workUs;
    return end;
  }

  /** Executes `cmd` submitted at `nowUs`; returns its completion time, µs. */
  submit(cmd: DeviceCommand, nowUs: number): number {
    this.commands++;
    const t = this.timing;
    let done = nowUs;
    if (cmd.op === 'discard') {
      for (let s = cmd.startSector; s < cmd.startSector + cmd.sectors; s++) this.ftl.trim(s);
      return nowUs + t.commandOverheadUs;
    }
    const dies = this.ftl.geometry.dies;
    if (cmd.op === 'read') {
      // Distinct NAND pages touched per die.
      const pagesPerDie = new Array<Set<number>>(dies);
      for (let s = cmd.startSector; s < cmd.startSector + cmd.sectors; s++) {
        const ppn = this.ftl.lookup(s);
        if (ppn < 0) continue; // unmapped: the controller returns zeroes
        const die = this.ftl.dieOfPage(ppn);
        (pagesPerDie[die] ??= new Set()).add(Math.floor(ppn / SECTORS_PER_NAND_PAGE));
      }
      pagesPerDie.forEach((pages, die) => {
        if (pages) done = Math.max(done, this.#occupy(die, nowUs, pages.size * t.readPageUs));
      });
      return done + t.commandOverheadUs;
    }
    const sectorsPerDie = new Array<number>(dies).fill(0);
    const gc: GcWork[] = [];
    for (let s = cmd.startSector; s < cmd.startSector + cmd.sectors; s++) {
      const before = gc.length;
      const die = this.ftl.write(s, gc);
      for (let i = before; i < gc.length; i++) {
        const g = gc[i]!;
        // GC happens before this write can get a block: charge it now.
        const copyUs = g.copiedPages * (t.readPageUs / SECTORS_PER_NAND_PAGE + t.programPageUs / SECTORS_PER_NAND_PAGE);
        done = Math.max(done, this.#occupy(g.die, nowUs, Math.round(copyUs) + g.erasedBlocks * t.eraseBlockUs));
      }
      sectorsPerDie[die]!++;
    }
    sectorsPerDie.forEach((n, die) => {
      if (n > 0) done = Math.max(done, this.#occupy(die, nowUs, Math.round((n * t.programPageUs) / SECTORS_PER_NAND_PAGE)));
    });
    return done + t.commandOverheadUs;
  }

  /** The time all dies are idle again, µs. */
  idleAtUs(): number {
    return Math.max(0, ...this.dieFreeAtUs);
  }

  /** Erase counts across blocks: the wear-levelling picture. */
  wear(): { minErases: number; maxErases: number; meanErases: number } {
    const e = this.ftl.eraseCount;
    let min = Infinity;
    let max = 0;
    let sum = 0;
    for (const x of e) {
      min = Math.min(min, x);
      max = Math.max(max, x);
      sum += x;
    }
    return { minErases: min, maxErases: max, meanErases: sum / e.length };
  }
}
