/**
 * The informer's local cache: objects by key, with a namespace index.
 * Follows client-go tools/cache store.go (MetaNamespaceKeyFunc: `ns/name`,
 * or `name` for cluster-scoped objects), thread_safe_store.go and index.go
 * (NamespaceIndex), v0.34.
 */
import type { KObject } from '../apiserver/object.ts';

export const NamespaceIndex = 'namespace';

export function metaNamespaceKey(obj: KObject): string {
  const ns = obj.metadata?.namespace;
  const name = obj.metadata?.name ?? '';
  return ns ? `${ns}/${name}` : name;
}

export class Indexer {
  readonly #items = new Map<string, KObject>();
  readonly #byNamespace = new Map<string, Set<string>>();

  get(key: string): KObject | undefined {
    return this.#items.get(key);
  }

  /** Every object, sorted by key (deterministic order for views and tests). */
  list(): KObject[] {
    return [...this.#items.keys()].sort().map((k) => this.#items.get(k)!);
  }

  listKeys(): string[] {
    return [...this.#items.keys()].sort();
  }

  /** ByIndex(NamespaceIndex, ns). */
  byNamespace(namespace: string): KObject[] {
    return [...(this.#byNamespace.get(namespace) ?? [])].sort().map((k) => this.#items.get(k)!);
  }

  /** Adds or replaces; returns the previous object. */
  upsert(obj: KObject): KObject | undefined {
    const key = metaNamespaceKey(obj);
    const old = this.#items.get(key);
    this.#items.set(key, obj);
    const ns = obj.metadata?.namespace ?? '';
    if (!this.#byNamespace.has(ns)) this.#byNamespace.set(ns, new Set());
    this.#byNamespace.get(ns)!.add(key);
    return old;
  }

  delete(key: string): KObject | undefined {
    const old = this.#items.get(key);
    if (!old) return undefined;
    this.#items.delete(key);
    this.#byNamespace.get(old.metadata?.namespace ?? '')?.delete(key);
    return old;
  }

  get size(): number {
    return this.#items.size;
  }
}
