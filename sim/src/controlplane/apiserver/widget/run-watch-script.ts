/**
 * Widget runner for the watch stream (Layer 3, watch section). A line script,
 * one command per line, `#` starts a comment:
 *
 *   watch-cache-size <n>                 events each watch cache keeps (first line only; default 100)
 *   create pod <name> [image=<img>] [node=<node>] [label=<k>=<v>]...
 *   apply pod <name> [image=...] [node=...] [label=...]   create, or merge into the existing pod
 *   update pod <name> [image=...] [node=...] [label=...]  merge into the existing pod
 *                                        (node= on an existing pod goes through pods/binding, as the scheduler does)
 *   delete pod <name>                    also `delete pods/<name>`
 *   watch pods [from <rv>] [field <k>=<v>] [label <k>=<v>] [bookmarks] [as <id>]
 *                                        a client WATCH through the apiserver's watch cache
 *   etcd-watch <key-prefix> [from <rev>] [as <id>]
 *                                        a raw etcd watch on the MVCC store (prevKv on)
 *   stop <id>                            end a watch
 *   list pods [rv <rv>] [exact]          a LIST (rv 0 = cache, exact = etcd at that revision)
 *   bookmark                             the watch cache's bookmark timer fires
 *   compact <rev>                        etcd compaction at a revision
 *
 * Kinds: pod (pods) and configmap (configmaps; `data.<k>=<v>` instead of image).
 * After every command each open watch is drained, so the view shows which
 * events each watcher received and at which resourceVersion. Errors point
 * at line and column.
 */
import { fail, ok, simError, type Result, type SimError } from '../../../core/result.ts';
import type { WatchResponse } from '../../etcd/mvcc/kv.ts';
import { WatchableStore } from '../../etcd/mvcc/watchable-store.ts';
import { ApiServer, type WatchStream } from '../apiserver.ts';
import type { KObject } from '../object.ts';
import type { Status } from '../status.ts';

export interface WatchScriptView {
  steps: { line: number; command: string; revision: number; code?: number; result: string }[];
  events: {
    line: number;
    watcher: string;
    /** ADDED/MODIFIED/DELETED/BOOKMARK from the apiserver, PUT/DELETE from etcd, ERROR for a failed or canceled watch. */
    type: string;
    name: string;
    resourceVersion: string;
    detail?: string;
  }[];
  watchers: { id: string; target: string; from: string; open: boolean }[];
  finalRevision: number;
  compactRevision: number;
}

export const WATCH_SCRIPT_MAX_LINES = 500;

interface Watch {
  id: string;
  target: string;
  from: string;
  stream?: WatchStream;
  etcdId?: number;
  etcdQueue?: WatchResponse[];
  open: boolean;
}

const KINDS: Record<string, string> = { pod: 'pods', pods: 'pods', configmap: 'configmaps', configmaps: 'configmaps' };

/** Runs the script against a fresh cluster; see the file comment for the commands. */
export function runWatchScript(text: string, options: { seed: number }): Result<WatchScriptView> {
  const lines = text.split('\n');
  if (lines.length > WATCH_SCRIPT_MAX_LINES) return fail(simError('LIMIT_EXCEEDED', `the script has ${lines.length} lines; the limit is ${WATCH_SCRIPT_MAX_LINES}`, { line: 1, column: 1 }));
  let cacheSize = 100;
  const store = new WatchableStore();
  let api: ApiServer | undefined;
  const server = () => (api ??= new ApiServer({ store, seed: options.seed, watchCacheSize: cacheSize }));
  const view: WatchScriptView = { steps: [], events: [], watchers: [], finalRevision: 0, compactRevision: 0 };
  const watches = new Map<string, Watch>();
  const errors: SimError[] = [];
  let autoId = 1;

  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = lines[i]!.replace(/#.*$/, '');
    if (!raw.trim()) continue;
    const tokens = [...raw.matchAll(/\S+/g)].map((m) => ({ text: m[0], column: m.index! + 1 }));
    const at = (t: { column: number } | undefined) => ({ line: lineNo, column: t?.column ?? 1 });
    const bad = (msg: string, t?: { column: number }) => errors.push(simError('SCRIPT', msg, at(t)));
    const cmd = tokens[0]!.text;
    const record = (result: string, code?: number) => view.steps.push({ line: lineNo, command: raw.trim(), revision: store.currentRevision, result, ...(code !== undefined ? { code } : {}) });

    if (cmd === 'watch-cache-size') {
      const n = Number(tokens[1]?.text);
      if (api) { bad('watch-cache-size must come before any other command', tokens[0]); continue; }
      if (!Number.isInteger(n) || n < 1 || n > 10000) { bad('watch-cache-size needs an integer from 1 to 10000', tokens[1] ?? tokens[0]); continue; }
      cacheSize = n;
      record(`each watch cache keeps ${n} events`);
      continue;
    }
    const a = server();
    switch (cmd) {
      case 'create':
      case 'apply':
      case 'update': {
        const kind = tokens[1]?.text ?? '';
        const resource = KINDS[kind];
        const name = tokens[2]?.text;
        if (!resource) { bad(`unknown kind "${kind}" (pod or configmap)`, tokens[1] ?? tokens[0]); continue; }
        if (!name) { bad(`${cmd} needs a name`, tokens[1]); continue; }
        const fields = parseFields(tokens.slice(3), resource, lineNo);
        if ('error' in fields) { errors.push(fields.error); continue; }
        const exists = cmd !== 'create' && a.handle({ verb: 'get', resource, namespace: 'default', name }).code === 200;
        if (exists && fields.value.node) {
          // spec.nodeName of an existing pod is set only through pods/binding (what the scheduler calls).
          const node = fields.value.node;
          delete fields.value.node;
          const bound = a.handle({ verb: 'create', resource, subresource: 'binding', namespace: 'default', name, body: { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { kind: 'Node', name: node } } as KObject });
          record(bound.code < 300 ? `${bound.code} pods/${name}/binding → node ${node}, resourceVersion ${bound.object?.metadata?.resourceVersion}` : `${bound.code} ${bound.message}`, bound.code);
          drain(watches, view, lineNo);
          if (!fields.value.image && !Object.keys(fields.value.labels).length) break;
        }
        const body = buildObject(resource, name, fields.value);
        const res = a.handle(cmd === 'create' ? { verb: 'create', body } : { verb: cmd === 'apply' ? 'apply' : 'patch', resource, namespace: 'default', name, body });
        record(res.code < 300 ? `${res.code} ${resource}/${name} resourceVersion ${res.object?.metadata?.resourceVersion}` : `${res.code} ${res.message}`, res.code);
        break;
      }
      case 'delete': {
        let resource: string | undefined;
        let name: string | undefined;
        if (tokens[1]?.text.includes('/')) [resource, name] = tokens[1].text.split('/') as [string, string];
        else { resource = tokens[1]?.text; name = tokens[2]?.text; }
        resource = KINDS[resource ?? ''];
        if (!resource || !name) { bad('write delete pod <name> or delete pods/<name>', tokens[1] ?? tokens[0]); continue; }
        const res = a.handle({ verb: 'delete', resource, namespace: 'default', name, gracePeriodSeconds: 0 });
        record(res.code < 300 ? `${res.code} deleted at revision ${res.etcd?.revision}` : `${res.code} ${res.message}`, res.code);
        break;
      }
      case 'watch': {
        const resource = KINDS[tokens[1]?.text ?? ''];
        if (!resource) { bad('write watch pods [from <rv>] ...', tokens[1] ?? tokens[0]); continue; }
        const opts = parseWatchOptions(tokens.slice(2), lineNo);
        if ('error' in opts) { errors.push(opts.error); continue; }
        const id = opts.value.id ?? `w${autoId++}`;
        if (watches.get(id)?.open) { bad(`watch "${id}" is already open`, tokens[0]); continue; }
        const { response, stream } = a.watch({
          resource, namespace: 'default', resourceVersion: opts.value.from ?? '0',
          ...(opts.value.field ? { fieldSelector: opts.value.field } : {}),
          ...(opts.value.label ? { labelSelector: opts.value.label } : {}),
          allowWatchBookmarks: opts.value.bookmarks,
        });
        const w: Watch = { id, target: resource, from: opts.value.from ?? '0', open: !!stream, ...(stream ? { stream } : {}) };
        watches.set(id, w);
        if (!stream) view.events.push({ line: lineNo, watcher: id, type: 'ERROR', name: '', resourceVersion: '', detail: `${response.code} ${response.message}` });
        record(stream ? `watch ${id} open from resourceVersion ${w.from}` : `${response.code} ${response.message}`, response.code);
        break;
      }
      case 'etcd-watch': {
        const prefix = tokens[1]?.text;
        if (!prefix) { bad('write etcd-watch <key-prefix> [from <rev>]', tokens[0]); continue; }
        const opts = parseWatchOptions(tokens.slice(2), lineNo);
        if ('error' in opts) { errors.push(opts.error); continue; }
        const id = opts.value.id ?? `w${autoId++}`;
        const queue: WatchResponse[] = [];
        const from = opts.value.from ?? '0';
        const etcdId = store.watch({ key: prefix, prefix: true, startRevision: Number(from), prevKv: true }, (r) => queue.push(r));
        watches.set(id, { id, target: prefix, from, etcdId, etcdQueue: queue, open: true });
        record(`etcd watch ${id} on ${prefix} from revision ${from}`);
        break;
      }
      case 'stop': {
        const w = watches.get(tokens[1]?.text ?? '');
        if (!w) { bad(`no watch named "${tokens[1]?.text ?? ''}"`, tokens[1] ?? tokens[0]); continue; }
        w.stream?.stop();
        if (w.etcdId !== undefined) store.cancel(w.etcdId);
        w.open = false;
        record(`stopped ${w.id}`);
        break;
      }
      case 'list': {
        const resource = KINDS[tokens[1]?.text ?? ''];
        if (!resource) { bad('write list pods [rv <rv>] [exact]', tokens[1] ?? tokens[0]); continue; }
        let rv: string | undefined;
        let exact = false;
        for (let k = 2; k < tokens.length; k++) {
          if (tokens[k]!.text === 'rv') rv = tokens[++k]?.text;
          else if (tokens[k]!.text === 'exact') exact = true;
          else { bad(`unknown list option "${tokens[k]!.text}"`, tokens[k]); }
        }
        const res = a.handle({ verb: 'list', resource, namespace: 'default', ...(rv !== undefined ? { resourceVersion: rv } : {}), ...(exact ? { resourceVersionMatch: 'Exact' as const } : {}) });
        record(res.code === 200 ? `200 list at resourceVersion ${res.resourceVersion}: ${(res.items ?? []).map((o) => o.metadata?.name).join(', ') || '(empty)'}` : `${res.code} ${res.message}`, res.code);
        break;
      }
      case 'bookmark': {
        const n = a.sendBookmarks();
        record(`bookmark sent to ${n} watcher(s) at revision ${store.currentRevision}`);
        break;
      }
      case 'compact': {
        const rev = Number(tokens[1]?.text);
        if (!Number.isInteger(rev) || rev < 1) { bad('compact needs a revision', tokens[1] ?? tokens[0]); continue; }
        const r = store.apply({ op: 'compact', revision: rev });
        record(r.op === 'error' ? r.error : `etcd compacted at revision ${rev}`);
        break;
      }
      default:
        bad(`unknown command "${cmd}"`, tokens[0]);
        continue;
    }
    drain(watches, view, lineNo);
  }
  if (errors.length) return fail(errors);
  view.watchers = [...watches.values()].map((w) => ({ id: w.id, target: w.target, from: w.from, open: w.open }));
  view.finalRevision = store.currentRevision;
  view.compactRevision = store.compactRevision;
  return ok(view);
}

function drain(watches: Map<string, Watch>, view: WatchScriptView, line: number): void {
  for (const w of watches.values()) {
    if (w.stream) {
      for (const e of w.stream.take()) {
        const obj = e.object as KObject;
        view.events.push({ line, watcher: w.id, type: e.type, name: obj.metadata?.name ?? '', resourceVersion: obj.metadata?.resourceVersion ?? '', ...(e.type === 'ERROR' ? { detail: (e.object as Status).message } : {}) });
      }
    }
    if (w.etcdQueue) {
      for (const r of w.etcdQueue.splice(0)) {
        if (r.canceled) {
          w.open = false;
          view.events.push({ line, watcher: w.id, type: 'ERROR', name: '', resourceVersion: String(r.compactRevision ?? ''), detail: `canceled: ${r.cancelReason} (compact revision ${r.compactRevision})` });
        }
        for (const e of r.events) {
          view.events.push({ line, watcher: w.id, type: e.type, name: e.kv.key, resourceVersion: String(e.kv.modRevision), ...(e.prevKv ? { detail: `prev mod_revision ${e.prevKv.modRevision}` } : {}) });
        }
      }
    }
  }
}

type Fields = { image?: string; node?: string; labels: Record<string, string>; data: Record<string, string> };

function parseFields(tokens: { text: string; column: number }[], resource: string, line: number): { value: Fields } | { error: SimError } {
  const f: Fields = { labels: {}, data: {} };
  for (const t of tokens) {
    const eq = t.text.indexOf('=');
    if (eq < 1) return { error: simError('SCRIPT', `expected key=value, got "${t.text}"`, { line, column: t.column }) };
    const key = t.text.slice(0, eq);
    const value = t.text.slice(eq + 1);
    if (key === 'image' && resource === 'pods') f.image = value;
    else if (key === 'node' && resource === 'pods') f.node = value;
    else if (key === 'label') {
      const [k, v] = value.split('=');
      if (!k || v === undefined) return { error: simError('SCRIPT', 'write label=<key>=<value>', { line, column: t.column }) };
      f.labels[k] = v;
    } else if (key.startsWith('data.') && resource === 'configmaps') f.data[key.slice(5)] = value;
    else return { error: simError('SCRIPT', `unknown field "${key}" for ${resource}`, { line, column: t.column }) };
  }
  return { value: f };
}

function buildObject(resource: string, name: string, f: Fields): KObject {
  const metadata = { name, namespace: 'default', ...(Object.keys(f.labels).length ? { labels: f.labels } : {}) };
  if (resource === 'configmaps') return { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: f.data };
  const spec: Record<string, unknown> = {};
  if (f.image) spec.containers = [{ name: 'app', image: f.image }];
  if (f.node) spec.nodeName = f.node;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

function parseWatchOptions(tokens: { text: string; column: number }[], line: number):
  { value: { from?: string; field?: string; label?: string; bookmarks: boolean; id?: string } } | { error: SimError } {
  const v: { from?: string; field?: string; label?: string; bookmarks: boolean; id?: string } = { bookmarks: false };
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    const next = tokens[k + 1];
    const need = () => (next ? (k++, next.text) : undefined);
    switch (t.text) {
      case 'from': {
        const x = need();
        if (x === undefined || !/^\d+$/.test(x)) return { error: simError('SCRIPT', 'from needs a resourceVersion (an integer)', { line, column: next?.column ?? t.column }) };
        v.from = x;
        break;
      }
      case 'field': { const x = need(); if (!x) return { error: simError('SCRIPT', 'field needs <path>=<value>', { line, column: t.column }) }; v.field = x; break; }
      case 'label': { const x = need(); if (!x) return { error: simError('SCRIPT', 'label needs <key>=<value>', { line, column: t.column }) }; v.label = x; break; }
      case 'as': { const x = need(); if (!x) return { error: simError('SCRIPT', 'as needs a name', { line, column: t.column }) }; v.id = x; break; }
      case 'bookmarks': v.bookmarks = true; break;
      default: return { error: simError('SCRIPT', `unknown watch option "${t.text}"`, { line, column: t.column }) };
    }
  }
  return { value: v };
}
