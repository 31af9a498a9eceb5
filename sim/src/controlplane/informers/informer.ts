/**
 * An informer: LIST then WATCH into a local cache, calling event handlers,
 * as controllers, the scheduler and the kubelet use them. Follows client-go
 * tools/cache reflector.go (ListAndWatch; resume the watch from the last
 * synced resourceVersion; on 410 Gone "too old resource version" relist from
 * the latest state), delta_fifo.go Replace (a relist turns vanished objects
 * into deletes: DeletedFinalStateUnknown), shared_informer.go
 * (ResourceEventHandler OnAdd/OnUpdate/OnDelete, periodic resync that
 * re-delivers every cached object as an update), v0.34.
 *
 * Time is driven by the caller: `sync(nowTicks)` drains the watch stream,
 * restarts a watch that timed out, and resyncs when the period has passed.
 */
import type { ApiServer, WatchStream } from '../apiserver/apiserver.ts';
import type { Credentials } from '../apiserver/authn/authenticate.ts';
import type { KObject } from '../apiserver/object.ts';
import type { ApiResponse } from '../apiserver/request.ts';
import type { Status } from '../apiserver/status.ts';
import { Indexer, metaNamespaceKey } from './indexer.ts';

export interface InformerOptions {
  /** Plural resource, `pods`. */
  resource: string;
  namespace?: string;
  /** e.g. `spec.nodeName=worker-1` (the kubelet's pod informer). */
  fieldSelector?: string;
  labelSelector?: string;
  /** Re-deliver every cached object as an update this often (0/absent → never). */
  resyncPeriodTicks?: number;
  /**
   * The apiserver ends a watch after --min-request-timeout (5–10 min); the
   * informer then re-watches from its last resourceVersion. 0/absent → never.
   */
  watchTimeoutTicks?: number;
  /** Ask for BOOKMARK events (client-go always does). Default true. */
  allowWatchBookmarks?: boolean;
  credentials?: Credentials;
}

/** An object deleted while the informer was not watching; only its last known state is known. */
export interface DeletedFinalStateUnknown {
  key: string;
  obj: KObject;
}

export interface ResourceEventHandler {
  onAdd?(obj: KObject, isInInitialList: boolean): void;
  onUpdate?(oldObj: KObject, newObj: KObject): void;
  onDelete?(obj: KObject | DeletedFinalStateUnknown): void;
}

/** What the reflector did, for transcripts. */
export type InformerEvent =
  | { kind: 'list'; resourceVersion: string; items: number; code: number }
  | { kind: 'watch'; fromResourceVersion: string; code: number; message?: string }
  | { kind: 'relist'; reason: string }
  | { kind: 'event'; type: string; key: string; resourceVersion: string }
  | { kind: 'resync'; items: number };

export class Informer {
  readonly #api: ApiServer;
  readonly #opts: InformerOptions;
  readonly indexer = new Indexer();
  readonly #handlers = new Set<ResourceEventHandler>();
  #stream: WatchStream | undefined;
  #lastSyncRv = '';
  #synced = false;
  #watchStartedAt = 0;
  #lastResyncAt = 0;
  #nowTicks = 0;
  readonly log: InformerEvent[] = [];

  constructor(api: ApiServer, opts: InformerOptions) {
    this.#api = api;
    this.#opts = opts;
  }

  /** True once the first LIST has been delivered (cache.WaitForCacheSync). */
  hasSynced(): boolean {
    return this.#synced;
  }

  get lastSyncResourceVersion(): string {
    return this.#lastSyncRv;
  }

  /** Registers a handler; it first gets OnAdd for what is already cached (AddEventHandler). Returns an unsubscribe. */
  on(handler: ResourceEventHandler): () => void {
    this.#handlers.add(handler);
    for (const obj of this.indexer.list()) handler.onAdd?.(obj, true);
    return () => this.#handlers.delete(handler);
  }

  list(): KObject[] {
    return this.indexer.list();
  }

  /** By `namespace/name` (or `name` for cluster-scoped objects). */
  get(key: string): KObject | undefined {
    return this.indexer.get(key);
  }

  /** Initial LIST + WATCH; returns the LIST response (a 403 leaves the informer unsynced; sync() retries). */
  run(nowTicks = 0): ApiResponse {
    this.#nowTicks = nowTicks;
    this.#lastResyncAt = nowTicks;
    return this.#listAndWatch('0');
  }

  /** Drains the watch; re-watches after a timeout (relisting on 410); resyncs when due. Returns events applied. */
  sync(nowTicks = this.#nowTicks): number {
    this.#nowTicks = nowTicks;
    if (!this.#synced || !this.#stream) {
      if (!this.#synced) this.#listAndWatch(this.#lastSyncRv || '0');
      else this.#watch();
    }
    let applied = 0;
    if (this.#stream) {
      for (const e of this.#stream.take()) {
        this.#apply(e.type, e.object);
        applied++;
      }
      const timeout = this.#opts.watchTimeoutTicks ?? 0;
      if (timeout > 0 && nowTicks - this.#watchStartedAt >= timeout) {
        this.#stream.stop();
        this.#stream = undefined;
        this.#watch();
        if (this.#stream) for (const e of (this.#stream as WatchStream).take()) { this.#apply(e.type, e.object); applied++; }
      }
    }
    const period = this.#opts.resyncPeriodTicks ?? 0;
    if (period > 0 && nowTicks - this.#lastResyncAt >= period) {
      this.#lastResyncAt = nowTicks;
      const items = this.indexer.list();
      for (const obj of items) for (const h of this.#handlers) h.onUpdate?.(obj, obj);
      this.log.push({ kind: 'resync', items: items.length });
    }
    return applied;
  }

  /** Stops watching (the informer's stop channel). */
  stop(): void {
    this.#stream?.stop();
    this.#stream = undefined;
  }

  #request() {
    return {
      resource: this.#opts.resource,
      ...(this.#opts.namespace ? { namespace: this.#opts.namespace } : {}),
      ...(this.#opts.fieldSelector ? { fieldSelector: this.#opts.fieldSelector } : {}),
      ...(this.#opts.labelSelector ? { labelSelector: this.#opts.labelSelector } : {}),
      ...(this.#opts.credentials ? { credentials: this.#opts.credentials } : {}),
    };
  }

  #listAndWatch(rv: string): ApiResponse {
    const res = this.#api.handle({ verb: 'list', ...this.#request(), resourceVersion: rv });
    this.log.push({ kind: 'list', resourceVersion: res.resourceVersion ?? '', items: res.items?.length ?? 0, code: res.code });
    if (res.code !== 200) return res;
    this.#replace(res.items ?? [], !this.#synced);
    this.#lastSyncRv = res.resourceVersion ?? '';
    this.#synced = true;
    this.#watch();
    return res;
  }

  #watch(): void {
    const from = this.#lastSyncRv;
    const { response, stream } = this.#api.watch({ ...this.#request(), resourceVersion: from, allowWatchBookmarks: this.#opts.allowWatchBookmarks ?? true });
    this.log.push({ kind: 'watch', fromResourceVersion: from, code: response.code, ...(response.code !== 200 ? { message: response.message } : {}) });
    if (response.code === 410) {
      // reflector.go: isExpiredError → relist from the latest state (resourceVersion "").
      this.log.push({ kind: 'relist', reason: response.message });
      this.#listAndWatch('');
      return;
    }
    if (!stream) return;
    this.#stream = stream;
    this.#watchStartedAt = this.#nowTicks;
  }

  /** DeltaFIFO.Replace: the listed state replaces the cache. */
  #replace(items: KObject[], initial: boolean): void {
    const seen = new Set<string>();
    for (const obj of items) {
      const key = metaNamespaceKey(obj);
      seen.add(key);
      const old = this.indexer.upsert(obj);
      for (const h of this.#handlers) old ? h.onUpdate?.(old, obj) : h.onAdd?.(obj, initial);
    }
    for (const key of this.indexer.listKeys()) {
      if (seen.has(key)) continue;
      const obj = this.indexer.delete(key)!;
      for (const h of this.#handlers) h.onDelete?.({ key, obj });
    }
  }

  #apply(type: string, object: KObject | Status): void {
    const obj = object as KObject;
    const rv = obj.metadata?.resourceVersion ?? '';
    if (type === 'BOOKMARK') {
      this.#lastSyncRv = rv;
      this.log.push({ kind: 'event', type, key: '', resourceVersion: rv });
      return;
    }
    const key = metaNamespaceKey(obj);
    this.log.push({ kind: 'event', type, key, resourceVersion: rv });
    if (type === 'ADDED' || type === 'MODIFIED') {
      const old = this.indexer.upsert(obj);
      for (const h of this.#handlers) old ? h.onUpdate?.(old, obj) : h.onAdd?.(obj, false);
    } else if (type === 'DELETED') {
      const old = this.indexer.delete(key);
      if (old) for (const h of this.#handlers) h.onDelete?.(obj);
    }
    if (rv) this.#lastSyncRv = rv;
  }
}
