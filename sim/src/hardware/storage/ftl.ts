/**
 * A page-mapping Flash Translation Layer (Layer 0 "Storage": FTL, GC, TRIM,
 * wear levelling). NAND cannot overwrite in place: a sector can only be
 * programmed in an erased block, and erasing works on whole blocks. So every
 * host write goes to a fresh physical page (out-of-place write), the old copy
 * becomes invalid, and garbage collection later copies a block's remaining
 * valid pages elsewhere and erases it. Those copies are the extra NAND writes
 * counted by write amplification = NAND writes / host writes.
 *
 * Policies (the simplest well-known ones, named in the chapter):
 * - greedy GC victim: the closed block with the fewest valid pages;
 * - separate write frontiers for host data (one open block per die, written
 *   round-robin so a large write is striped across dies) and for GC copies;
 * - dynamic wear levelling: a new open block is the free block with the
 *   lowest erase count (on the wanted die when one is free);
 * - TRIM (NVMe Deallocate) unmaps sectors so GC never copies them.
 *
 * Invariants (checked by `checkInvariants`, exercised by a property test):
 * the mapping is a bijection between mapped logical sectors and valid
 * physical pages; each block's valid count equals its valid pages.
 */
import { invariant } from '../../core/invariant.ts';

const FREE = 0;
const OPEN = 1;
const CLOSED = 2;

export interface FtlGeometry {
  /** Logical capacity the host sees, in 4 KiB sectors. */
  userSectors: number;
  /** Over-provisioning: spare capacity as a fraction of the user capacity (0.07 = 7 %). */
  overProvisioning: number;
  sectorsPerBlock: number;
  /** Parallel NAND dies (flash channels × dies per channel). */
  dies: number;
}

/** NAND work caused by one write, charged to dies by the timing model. */
export interface GcWork {
  die: number;
  /** Valid pages copied out of the victim (each a read + a program). */
  copiedPages: number;
  erasedBlocks: number;
}

export interface FtlCounters {
  hostWrites: number;
  gcWrites: number;
  erases: number;
  gcRuns: number;
  trimmedSectors: number;
}

export class Ftl {
  readonly geometry: FtlGeometry;
  readonly blocks: number;
  readonly physicalSectors: number;
  /** Logical sector → physical page, -1 when unmapped. */
  readonly l2p: Int32Array;
  /** Physical page → logical sector, -1 when the page is free or invalid. */
  readonly p2l: Int32Array;
  readonly validCount: Int32Array;
  readonly eraseCount: Int32Array;
  readonly state: Uint8Array;
  /** Next page to program in each block (only meaningful for open blocks). */
  readonly writePtr: Int32Array;
  /** Open block per host frontier (one per die); -1 before the first write. */
  readonly hostFrontier: Int32Array;
  #gcFrontier = -1;
  #nextFrontier = 0;
  #freeBlocks: number;
  /** Blocks GC keeps free for its own copies; host allocation waits for more. */
  readonly gcReserveBlocks = 2;
  readonly counters: FtlCounters = { hostWrites: 0, gcWrites: 0, erases: 0, gcRuns: 0, trimmedSectors: 0 };

  constructor(geometry: FtlGeometry) {
    const { userSectors, overProvisioning, sectorsPerBlock, dies } = geometry;
    invariant(userSectors > 0 && sectorsPerBlock > 0 && dies > 0, 'bad FTL geometry');
    this.geometry = geometry;
    const userBlocks = Math.ceil(userSectors / sectorsPerBlock);
    // Spare = over-provisioning (at least one block) + one open block per
    // host frontier + the GC frontier + the GC reserve. The extra blocks
    // guarantee a closed block with an invalid page exists whenever GC runs.
    const spare = Math.max(1, Math.round(userBlocks * overProvisioning)) + dies + 1 + this.gcReserveBlocks;
    this.blocks = userBlocks + spare;
    this.physicalSectors = this.blocks * sectorsPerBlock;
    this.l2p = new Int32Array(userSectors).fill(-1);
    this.p2l = new Int32Array(this.physicalSectors).fill(-1);
    this.validCount = new Int32Array(this.blocks);
    this.eraseCount = new Int32Array(this.blocks);
    this.state = new Uint8Array(this.blocks);
    this.writePtr = new Int32Array(this.blocks);
    this.hostFrontier = new Int32Array(dies).fill(-1);
    this.#freeBlocks = this.blocks;
  }

  dieOfBlock(block: number): number {
    return block % this.geometry.dies;
  }

  dieOfPage(ppn: number): number {
    return this.dieOfBlock(Math.floor(ppn / this.geometry.sectorsPerBlock));
  }

  get freeBlocks(): number {
    return this.#freeBlocks;
  }

  /** Writes logical sector `lsn` out of place; returns the die that programs it and any GC work done first. */
  write(lsn: number, gcOut: GcWork[]): number {
    invariant(lsn >= 0 && lsn < this.geometry.userSectors, `sector ${lsn} out of range`);
    const f = this.#nextFrontier;
    this.#nextFrontier = (f + 1) % this.geometry.dies;
    let block = this.hostFrontier[f]!;
    if (block < 0 || this.writePtr[block]! >= this.geometry.sectorsPerBlock) {
      if (block >= 0) this.state[block] = CLOSED;
      while (this.#freeBlocks <= this.gcReserveBlocks) this.#collect(gcOut);
      block = this.#allocate(f);
      this.hostFrontier[f] = block;
    }
    this.#invalidate(lsn);
    this.#program(block, lsn);
    this.counters.hostWrites++;
    return this.dieOfBlock(block);
  }

  /** Unmaps `lsn` (TRIM / NVMe Deallocate). Returns whether it was mapped. */
  trim(lsn: number): boolean {
    const was = this.l2p[lsn]! >= 0;
    this.#invalidate(lsn);
    if (was) this.counters.trimmedSectors++;
    return was;
  }

  /** Physical page of `lsn`, or -1 when unmapped (reads return zeroes without touching NAND). */
  lookup(lsn: number): number {
    return this.l2p[lsn]!;
  }

  #invalidate(lsn: number): void {
    const old = this.l2p[lsn]!;
    if (old < 0) return;
    this.p2l[old] = -1;
    this.validCount[Math.floor(old / this.geometry.sectorsPerBlock)]!--;
    this.l2p[lsn] = -1;
  }

  #program(block: number, lsn: number): void {
    const spb = this.geometry.sectorsPerBlock;
    const ppn = block * spb + this.writePtr[block]!;
    this.writePtr[block]!++;
    this.p2l[ppn] = lsn;
    this.l2p[lsn] = ppn;
    this.validCount[block]!++;
  }

  /** Dynamic wear levelling: the least-erased free block, preferring die `die`. */
  #allocate(die: number): number {
    let best = -1;
    let bestOnDie = -1;
    for (let b = 0; b < this.blocks; b++) {
      if (this.state[b] !== FREE) continue;
      if (best < 0 || this.eraseCount[b]! < this.eraseCount[best]!) best = b;
      if (this.dieOfBlock(b) === die && (bestOnDie < 0 || this.eraseCount[b]! < this.eraseCount[bestOnDie]!)) bestOnDie = b;
    }
    const b = bestOnDie >= 0 ? bestOnDie : best;
    invariant(b >= 0, 'FTL ran out of free blocks');
    this.state[b] = OPEN;
    this.writePtr[b] = 0;
    this.#freeBlocks--;
    return b;
  }

  /** One greedy GC round: copy the victim's valid pages to the GC frontier, erase it. */
  #collect(gcOut: GcWork[]): void {
    let victim = -1;
    for (let b = 0; b < this.blocks; b++) {
      if (this.state[b] !== CLOSED) continue;
      if (victim < 0 || this.validCount[b]! < this.validCount[victim]!) victim = b;
    }
    invariant(victim >= 0, 'GC found no closed block');
    const spb = this.geometry.sectorsPerBlock;
    invariant(this.validCount[victim]! < spb, 'GC victim has no invalid page: over-provisioning too small');
    const die = this.dieOfBlock(victim);
    let copied = 0;
    for (let p = victim * spb; p < (victim + 1) * spb; p++) {
      const lsn = this.p2l[p]!;
      if (lsn < 0) continue;
      if (this.#gcFrontier < 0 || this.writePtr[this.#gcFrontier]! >= spb) {
        if (this.#gcFrontier >= 0) this.state[this.#gcFrontier] = CLOSED;
        this.#gcFrontier = this.#allocate(die);
      }
      this.#invalidate(lsn);
      this.#program(this.#gcFrontier, lsn);
      copied++;
    }
    invariant(this.validCount[victim] === 0, 'victim still holds valid pages after GC');
    this.state[victim] = FREE;
    this.eraseCount[victim]!++;
    this.#freeBlocks++;
    this.counters.gcWrites += copied;
    this.counters.erases++;
    this.counters.gcRuns++;
    gcOut.push({ die, copiedPages: copied, erasedBlocks: 1 });
  }

  /** Write amplification so far: (host + GC page programs) / host page programs; 1 before any write. */
  writeAmplification(): number {
    const h = this.counters.hostWrites;
    return h === 0 ? 1 : (h + this.counters.gcWrites) / h;
  }

  /** Returns a description of the first broken invariant, or null. O(physical pages). */
  checkInvariants(): string | null {
    const spb = this.geometry.sectorsPerBlock;
    let mapped = 0;
    for (let l = 0; l < this.l2p.length; l++) {
      const p = this.l2p[l]!;
      if (p < 0) continue;
      mapped++;
      if (this.p2l[p] !== l) return `l2p[${l}] = ${p} but p2l[${p}] = ${this.p2l[p]}`;
    }
    let valid = 0;
    const perBlock = new Int32Array(this.blocks);
    let free = 0;
    for (let p = 0; p < this.p2l.length; p++) {
      const l = this.p2l[p]!;
      if (l < 0) continue;
      valid++;
      perBlock[Math.floor(p / spb)]!++;
      if (this.l2p[l] !== p) return `p2l[${p}] = ${l} but l2p[${l}] = ${this.l2p[l]}`;
    }
    if (valid !== mapped) return `${mapped} mapped sectors but ${valid} valid pages`;
    for (let b = 0; b < this.blocks; b++) {
      if (perBlock[b] !== this.validCount[b]) return `block ${b}: validCount ${this.validCount[b]} but ${perBlock[b]} valid pages`;
      if (this.state[b] === FREE) {
        free++;
        if (perBlock[b] !== 0) return `free block ${b} holds valid pages`;
      }
    }
    if (free !== this.#freeBlocks) return `free count ${this.#freeBlocks} but ${free} free blocks`;
    return null;
  }
}
