/**
 * A binary heap keyed by a strict-weak-order `less`, with removal by key —
 * the shape of pkg/scheduler/backend/heap/heap.go (Kubernetes v1.34).
 * Invariant: for every i > 0, !less(items[i], items[parent(i)]).
 */
export class Heap<T> {
  readonly #items: T[] = [];
  readonly #index = new Map<string, number>();

  private readonly keyOf: (t: T) => string;
  private readonly less: (a: T, b: T) => boolean;

  constructor(keyOf: (t: T) => string, less: (a: T, b: T) => boolean) {
    this.keyOf = keyOf;
    this.less = less;
  }

  get length(): number {
    return this.#items.length;
  }

  has(key: string): boolean {
    return this.#index.has(key);
  }

  get(key: string): T | undefined {
    const i = this.#index.get(key);
    return i === undefined ? undefined : this.#items[i];
  }

  peek(): T | undefined {
    return this.#items[0];
  }

  /** Adds or replaces (re-positions) the item with the same key. */
  push(t: T): void {
    const key = this.keyOf(t);
    const at = this.#index.get(key);
    if (at !== undefined) {
      this.#items[at] = t;
      this.#fix(at);
      return;
    }
    this.#items.push(t);
    this.#index.set(key, this.#items.length - 1);
    this.#up(this.#items.length - 1);
  }

  pop(): T | undefined {
    if (this.#items.length === 0) return undefined;
    return this.#removeAt(0);
  }

  delete(key: string): T | undefined {
    const i = this.#index.get(key);
    return i === undefined ? undefined : this.#removeAt(i);
  }

  /** Items in heap order (not sorted); use sorted() for display. */
  values(): readonly T[] {
    return this.#items;
  }

  sorted(): T[] {
    return [...this.#items].sort((a, b) => (this.less(a, b) ? -1 : this.less(b, a) ? 1 : 0));
  }

  #removeAt(i: number): T {
    const items = this.#items;
    const out = items[i]!;
    const last = items.pop()!;
    this.#index.delete(this.keyOf(out));
    if (i < items.length) {
      items[i] = last;
      this.#index.set(this.keyOf(last), i);
      this.#fix(i);
    }
    return out;
  }

  #fix(i: number): void {
    if (!this.#up(i)) this.#down(i);
  }

  #swap(i: number, j: number): void {
    const items = this.#items;
    const a = items[i]!;
    const b = items[j]!;
    items[i] = b;
    items[j] = a;
    this.#index.set(this.keyOf(b), i);
    this.#index.set(this.keyOf(a), j);
  }

  #up(i: number): boolean {
    const start = i;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(this.#items[i]!, this.#items[p]!)) break;
      this.#swap(i, p);
      i = p;
    }
    return i !== start;
  }

  #down(i: number): void {
    const n = this.#items.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) return;
      let m = l;
      const r = l + 1;
      if (r < n && this.less(this.#items[r]!, this.#items[l]!)) m = r;
      if (!this.less(this.#items[m]!, this.#items[i]!)) return;
      this.#swap(i, m);
      i = m;
    }
  }
}
