/**
 * Watch on top of the MVCC store. Follows etcd-io/etcd
 * server/storage/mvcc/watchable_store.go (main, v3.6): a watcher whose start
 * revision is already in the past is "unsynced" and first catches up from
 * stored history; then it is "synced" and `notify` hands it each new
 * revision's events. A watcher asking for history below the compacted
 * revision gets one response with `compactRevision` set and is canceled
 * (the client sees "mvcc: required revision has been compacted").
 *
 * etcd catches unsynced watchers up every 100 ms in the background; the sim
 * does it at once when the watch is created, so the run stays deterministic.
 */
import { ErrCompacted } from './errors.ts';
import type { KeyValue, KvOp, ApplyResponse, MvccEvent, RangeRequest, RangeResponse, ErrorResponse, WatchResponse } from './kv.ts';
import { prefixEnd } from './kv.ts';
import { KvStore } from './kvstore.ts';

export interface WatchRequest {
  key: string;
  rangeEnd?: string;
  prefix?: boolean;
  /** First revision to deliver; 0/absent → only changes after now. */
  startRevision?: number;
  /** Attach each event's previous kv (etcd's prev_kv option). */
  prevKv?: boolean;
}

export type WatchListener = (response: WatchResponse) => void;

interface Watcher {
  id: number;
  key: string;
  end: string | undefined;
  /** The next revision this watcher has not seen yet. */
  minRev: number;
  prevKv: boolean;
  listener: WatchListener;
}

/** The store a Raft member applies entries to, with watchers. */
export class WatchableStore {
  readonly kv = new KvStore();
  #nextWatchId = 1;
  #synced = new Map<number, Watcher>();

  constructor() {
    this.kv.onCommit((revision, events) => this.#notify(revision, events));
  }

  get currentRevision(): number {
    return this.kv.currentRevision;
  }

  get compactRevision(): number {
    return this.kv.compactRevision;
  }

  apply(op: KvOp): ApplyResponse {
    return this.kv.apply(op);
  }

  range(req: RangeRequest): RangeResponse | ErrorResponse {
    return this.kv.range(req);
  }

  /** Starts a watch and returns its id; responses go to `listener` synchronously, in revision order. */
  watch(req: WatchRequest, listener: WatchListener): number {
    const w: Watcher = {
      id: this.#nextWatchId++,
      key: req.key,
      end: req.prefix ? prefixEnd(req.key) : req.rangeEnd,
      minRev: req.startRevision && req.startRevision > 0 ? req.startRevision : this.kv.currentRevision + 1,
      prevKv: !!req.prevKv,
      listener,
    };
    if (w.minRev > this.kv.currentRevision) {
      this.#synced.set(w.id, w);
      return w.id;
    }
    // Unsynced: catch up from history (syncWatchers in etcd).
    const history = this.kv.changesBetween(w.minRev, this.kv.currentRevision);
    if (history === ErrCompacted) {
      listener({
        watchId: w.id, header: { revision: this.kv.currentRevision }, events: [],
        compactRevision: this.kv.compactRevision, canceled: true, cancelReason: ErrCompacted,
      });
      return w.id;
    }
    for (const { revision, events } of history) this.#deliver(w, revision, events, true);
    w.minRev = this.kv.currentRevision + 1;
    this.#synced.set(w.id, w);
    return w.id;
  }

  cancel(watchId: number): boolean {
    return this.#synced.delete(watchId);
  }

  get watcherCount(): number {
    return this.#synced.size;
  }

  #notify(revision: number, events: MvccEvent[]): void {
    for (const w of [...this.#synced.values()]) {
      if (revision < w.minRev) continue;
      this.#deliver(w, revision, events, false);
      w.minRev = revision + 1;
    }
  }

  #deliver(w: Watcher, revision: number, events: MvccEvent[], fromHistory: boolean): void {
    const mine = events.filter((e) => matches(w, e.kv.key)).map((e) => this.#withPrev(w, e, fromHistory));
    if (mine.length) w.listener({ watchId: w.id, header: { revision }, events: mine });
  }

  /** prev_kv as etcd's watch server fills it: the key read at modRevision - 1 (absent once compacted away). */
  #withPrev(w: Watcher, e: MvccEvent, fromHistory: boolean): MvccEvent {
    if (!w.prevKv) return { type: e.type, kv: e.kv };
    if (!fromHistory) return e;
    if (e.type === 'PUT' && e.kv.version === 1) return { type: e.type, kv: e.kv };
    const r = this.kv.range({ op: 'range', key: e.kv.key, revision: e.kv.modRevision - 1 });
    const prev: KeyValue | undefined = r.op === 'range' ? r.kvs[0] : undefined;
    return prev ? { type: e.type, kv: e.kv, prevKv: prev } : { type: e.type, kv: e.kv };
  }
}

function matches(w: Watcher, key: string): boolean {
  if (w.end === undefined || w.end === '') return key === w.key;
  if (w.end === '\0') return key >= w.key;
  return key >= w.key && key < w.end;
}
