/**
 * The Linux page cache reduced to what the I/O story needs: 4 KiB pages of
 * one block device, LRU order, and dirty / writeback state. Buffered writes
 * only dirty pages in memory; the flusher writes them back later, in file
 * offset order (write_cache_pages walks the mapping by index), which is why
 * random buffered writes reach the device sorted and merged.
 *
 * Thresholds follow the vm sysctls (Documentation/admin-guide/sysctl/vm.rst):
 * vm.dirty_background_ratio = 10 (start background writeback) and
 * vm.dirty_ratio = 20 (a writer is throttled in balance_dirty_pages()),
 * here as fractions of the cache size.
 */

export type PageState = 'clean' | 'dirty' | 'writeback';

export class PageCache {
  readonly capacityPages: number;
  /** Insertion order is LRU order (oldest first); a touch re-inserts. */
  readonly #pages = new Map<number, PageState>();
  dirtyPages = 0;
  writebackPages = 0;

  constructor(capacityPages: number) {
    this.capacityPages = capacityPages;
  }

  get size(): number {
    return this.#pages.size;
  }

  state(page: number): PageState | undefined {
    return this.#pages.get(page);
  }

  /** Marks a page referenced (most recently used). */
  touch(page: number): void {
    const s = this.#pages.get(page);
    if (s === undefined) return;
    this.#pages.delete(page);
    this.#pages.set(page, s);
  }

  /**
   * Inserts or updates a page. Returns false when the cache is full of
   * dirty/writeback pages and nothing clean can be evicted (the caller must
   * write back first).
   */
  put(page: number, next: PageState): boolean {
    const cur = this.#pages.get(page);
    if (cur === undefined && this.#pages.size >= this.capacityPages && !this.#evictOne()) return false;
    if (cur !== undefined) this.#pages.delete(page);
    this.#count(cur, -1);
    this.#pages.set(page, next);
    this.#count(next, +1);
    return true;
  }

  /** Changes state without touching LRU order (writeback start/finish). */
  setState(page: number, next: PageState): void {
    const cur = this.#pages.get(page);
    if (cur === undefined) return;
    this.#count(cur, -1);
    this.#pages.set(page, next);
    this.#count(next, +1);
  }

  drop(page: number): void {
    const cur = this.#pages.get(page);
    if (cur === undefined) return;
    this.#count(cur, -1);
    this.#pages.delete(page);
  }

  /** `echo 1 > /proc/sys/vm/drop_caches`: drops clean pages only. */
  dropClean(): number {
    let n = 0;
    for (const [p, s] of this.#pages) {
      if (s === 'clean') {
        this.#pages.delete(p);
        n++;
      }
    }
    return n;
  }

  /** Dirty pages in ascending page order (the order writeback issues them). */
  dirtyInOrder(): number[] {
    const out: number[] = [];
    for (const [p, s] of this.#pages) if (s === 'dirty') out.push(p);
    return out.sort((a, b) => a - b);
  }

  #evictOne(): boolean {
    for (const [p, s] of this.#pages) {
      if (s === 'clean') {
        this.#pages.delete(p);
        return true;
      }
    }
    return false;
  }

  #count(s: PageState | undefined, d: number): void {
    if (s === 'dirty') this.dirtyPages += d;
    else if (s === 'writeback') this.writebackPages += d;
  }
}
