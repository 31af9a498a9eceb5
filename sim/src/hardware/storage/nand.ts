/**
 * NAND flash geometry and timing for the SSD model (Layer 0 "Storage").
 * Time unit for the whole storage model: 1 tick = 1 µs (integer).
 *
 * Figures are typical of current 3D TLC NAND, rounded and stated so the
 * textbook's prose can quote them:
 * - page 16 KiB, erase block of hundreds of pages (ONFI 4.x-class TLC parts
 *   use 16 KiB pages; blocks are 4–24 MiB). The model maps 4 KiB sectors
 *   (what the FTL and the host see; four sectors fill one 16 KiB page) and
 *   uses smaller blocks (default 256 sectors = 1 MiB) so that a 256 MiB
 *   simulated drive still has hundreds of blocks for GC to choose from.
 * - tR (page read) ≈ 50–90 µs → 60 µs; tPROG (page program) ≈ 0.5–1 ms →
 *   600 µs per 16 KiB page; tBERS (block erase) ≈ 3–5 ms → 3.5 ms
 *   (TLC datasheet ranges; see also Grupp et al., "Characterizing Flash
 *   Memory", MICRO 2009, for the read ≪ program ≪ erase ordering).
 * - An NVMe command costs a few µs in the controller and driver besides the
 *   NAND time (submission, doorbell, completion interrupt).
 * The model has no DRAM write cache inside the drive (enterprise drives with
 * power-loss protection acknowledge writes from DRAM in ~10–20 µs); it
 * behaves like a DRAM-less TLC drive, which makes NAND costs visible.
 */

/** Host-visible sector and FTL mapping unit, bytes. */
export const SECTOR_BYTES = 4096;
/** Sectors per 16 KiB NAND page (one tPROG programs all of them). */
export const SECTORS_PER_NAND_PAGE = 4;
/** Default erase-block size in sectors (256 × 4 KiB = 1 MiB). */
export const DEFAULT_SECTORS_PER_BLOCK = 256;

export interface NandTiming {
  /** Read one 16 KiB NAND page into the die's page register, µs. */
  readPageUs: number;
  /** Program one 16 KiB NAND page, µs. */
  programPageUs: number;
  /** Erase one block, µs. */
  eraseBlockUs: number;
  /** Controller + driver cost per NVMe command, µs. */
  commandOverheadUs: number;
}

export const TLC_TIMING: NandTiming = {
  readPageUs: 60,
  programPageUs: 600,
  eraseBlockUs: 3500,
  commandOverheadUs: 5,
};
