/**
 * The watch cache (staging/src/k8s.io/apiserver/pkg/storage/cacher/cacher.go,
 * watch_cache.go, cache_watcher.go, v1.34). One per resource: it lists the
 * resource's prefix from etcd once, then follows a single etcd watch, keeping
 * (a) the current objects and (b) a bounded window of recent events. Every
 * client WATCH is served from here, not from etcd:
 *   - resourceVersion 0/unset: synthetic ADDED for the current state, then changes;
 *   - resourceVersion N: the window's events after N, or 410 Gone
 *     "too old resource version: N (M)" once N fell out of the window;
 *   - filtered watches (fieldSelector spec.nodeName=x) see an object that
 *     stops matching as DELETED and one that starts matching as ADDED.
 * BOOKMARK events carry only a resourceVersion so idle watchers can resume
 * without falling out of the window.
 */
import type { KvClient } from '../../etcd/mvcc/client.ts';
import type { WatchResponse } from '../../etcd/mvcc/kv.ts';
import type { KObject } from '../object.ts';
import type { ResourceInfo } from '../resources.ts';
import { apiVersionOf, etcdListPrefix } from '../resources.ts';
import type { Selector } from '../selectors.ts';
import { newResourceExpired, newTimeout, type Status } from '../status.ts';
import { decode, decodeDeleted } from './codec.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  type: WatchEventType;
  object: KObject | Status;
}

/** watch.Event written by the apiserver: `object` is the resource, or a Status for ERROR. */
interface WindowEvent {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KObject;
  prevObject?: KObject;
}

export interface WatchFilter {
  namespace?: string;
  selector: Selector;
}

/** One client's watch: events queue up until the client takes them (an HTTP chunked stream). */
export class CacheWatcher {
  readonly #queue: WatchEvent[] = [];
  readonly filter: WatchFilter;
  readonly allowBookmarks: boolean;
  #stopped = false;
  readonly #onStop: () => void;

  constructor(filter: WatchFilter, allowBookmarks: boolean, onStop: () => void) {
    this.filter = filter;
    this.allowBookmarks = allowBookmarks;
    this.#onStop = onStop;
  }

  /** Drains the events received so far. */
  take(): WatchEvent[] {
    return this.#queue.splice(0, this.#queue.length);
  }

  get pending(): number {
    return this.#queue.length;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#onStop();
  }

  push(e: WatchEvent): void {
    if (!this.#stopped) this.#queue.push(e);
  }
}

export const InitialEventsAnnotationKey = 'k8s.io/initial-events-end';

export class Cacher {
  readonly info: ResourceInfo;
  readonly #client: KvClient;
  readonly #capacity: number;
  readonly #store = new Map<string, KObject>();
  #window: WindowEvent[] = [];
  #listRv = 0;
  #evictedAny = false;
  #rv = 0;
  readonly #watchers = new Set<CacheWatcher>();

  constructor(client: KvClient, info: ResourceInfo, capacity: number) {
    this.info = info;
    this.#client = client;
    this.#capacity = Math.max(1, capacity);
    this.#start();
  }

  /** The newest resourceVersion the cache has seen. */
  get resourceVersion(): number {
    return this.#rv;
  }

  /** The resourceVersion the window starts after: watching from below it is 410 Gone. */
  get oldestWatchableRv(): number {
    return this.#evictedAny ? this.#window[0]!.rv - 1 : this.#listRv;
  }

  #start(): void {
    const prefix = etcdListPrefix(this.info, undefined);
    const r = this.#client.range({ op: 'range', key: prefix, prefix: true });
    if (r.op !== 'range') return;
    for (const kv of r.kvs) this.#store.set(kv.key, decode(kv));
    this.#listRv = r.header.revision;
    this.#rv = r.header.revision;
    this.#client.watch({ key: prefix, prefix: true, startRevision: r.header.revision + 1, prevKv: true }, (w) => this.#onEtcd(w));
  }

  #onEtcd(w: WatchResponse): void {
    for (const e of w.events) {
      let ev: WindowEvent;
      if (e.type === 'PUT') {
        const obj = decode(e.kv);
        const prev = this.#store.get(e.kv.key);
        this.#store.set(e.kv.key, obj);
        ev = prev ? { rv: e.kv.modRevision, type: 'MODIFIED', object: obj, prevObject: prev } : { rv: e.kv.modRevision, type: 'ADDED', object: obj };
      } else {
        const prev = this.#store.get(e.kv.key);
        this.#store.delete(e.kv.key);
        const obj = prev ? { ...prev, metadata: { ...prev.metadata, resourceVersion: String(e.kv.modRevision) } } : e.prevKv ? decodeDeleted(e.prevKv, e.kv.modRevision) : undefined;
        if (!obj) continue;
        ev = { rv: e.kv.modRevision, type: 'DELETED', object: obj, prevObject: prev };
      }
      this.#window.push(ev);
      if (this.#window.length > this.#capacity) {
        this.#window.shift();
        this.#evictedAny = true;
      }
      this.#rv = ev.rv;
      for (const watcher of this.#watchers) this.#dispatch(watcher, ev);
    }
  }

  /** cacheWatcher.convertToWatchEvent: the event as this watcher's filter sees it (or nothing). */
  #dispatch(w: CacheWatcher, ev: WindowEvent): void {
    const passes = (o: KObject | undefined) => !!o && (!w.filter.namespace || o.metadata?.namespace === w.filter.namespace) && w.filter.selector(o);
    const cur = ev.type !== 'DELETED' && passes(ev.object);
    const old = passes(ev.prevObject);
    if (ev.type === 'DELETED') {
      if (old) w.push({ type: 'DELETED', object: ev.object });
    } else if (cur && old) w.push({ type: 'MODIFIED', object: ev.object });
    else if (cur) w.push({ type: 'ADDED', object: ev.object });
    else if (old) w.push({ type: 'DELETED', object: ev.object });
  }

  /**
   * etcd progress notification: the store's revision moved (perhaps on other
   * keys); the cache is current as of it. Needed for consistent reads.
   */
  progressNotify(): number {
    this.#rv = Math.max(this.#rv, this.#client.currentRevision);
    return this.#rv;
  }

  /** Current objects (sorted by key, as etcd ranges), optionally one namespace and a selector. */
  list(filter: WatchFilter): KObject[] {
    const keys = [...this.#store.keys()].sort();
    return keys.map((k) => this.#store.get(k)!).filter((o) => (!filter.namespace || o.metadata?.namespace === filter.namespace) && filter.selector(o));
  }

  /** Starts a watch from `rv` (0 → current state as ADDED events first). */
  watch(rv: number, filter: WatchFilter, opts: { allowBookmarks: boolean; sendInitialEvents: boolean }): { watcher: CacheWatcher } | { status: Status } {
    if (rv > this.#rv && rv > this.progressNotify()) {
      return { status: newTimeout(`Too large resource version: ${rv}, current: ${this.#rv}`) };
    }
    const watcher = new CacheWatcher(filter, opts.allowBookmarks, () => this.#watchers.delete(watcher));
    if (rv === 0 || opts.sendInitialEvents) {
      for (const obj of this.list(filter)) watcher.push({ type: 'ADDED', object: obj });
      if (opts.sendInitialEvents && opts.allowBookmarks) watcher.push({ type: 'BOOKMARK', object: this.#bookmarkObject(true) });
    } else {
      const oldest = this.oldestWatchableRv;
      if (rv < oldest) return { status: newResourceExpired(`too old resource version: ${rv} (${oldest})`) };
      for (const ev of this.#window) if (ev.rv > rv) this.#dispatch(watcher, ev);
    }
    this.#watchers.add(watcher);
    return { watcher };
  }

  /** The bookmark timer fired: every watcher that allows bookmarks learns the current resourceVersion. */
  sendBookmarks(): number {
    this.progressNotify();
    let sent = 0;
    for (const w of this.#watchers) {
      if (!w.allowBookmarks) continue;
      w.push({ type: 'BOOKMARK', object: this.#bookmarkObject(false) });
      sent++;
    }
    return sent;
  }

  #bookmarkObject(initialEventsEnd: boolean): KObject {
    return {
      kind: this.info.kind,
      apiVersion: apiVersionOf(this.info),
      metadata: { resourceVersion: String(this.#rv), ...(initialEventsEnd ? { annotations: { [InitialEventsAnnotationKey]: 'true' } } : {}) },
    };
  }

  get watcherCount(): number {
    return this.#watchers.size;
  }
}
