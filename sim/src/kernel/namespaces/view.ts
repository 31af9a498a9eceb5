/**
 * What a namespace widget shows: the process tree from the host and from
 * inside each pid namespace, and every live namespace with its contents.
 * Plain JSON data (STYLE habit 2): widgets render it, tests assert on it.
 */
import type { Kernel, Task } from '../process.ts';
import { NS_KINDS, type NsKind } from './flags.ts';
import { formatIpAddr } from './net.ts';
import { formatIdMap, fromKid } from './user.ts';
import { INIT_INUM, type Namespace, type NetNamespace, type PidNamespace } from './types.ts';

export interface ProcessRow {
  hostPid: number;
  /** The parent's host pid (0 for the initial init). */
  hostPpid: number;
  comm: string;
  /** pid numbers from the host's namespace (index 0) to the task's own. */
  pids: number[];
  /** getpid() inside: the last of `pids`. */
  getpid: number;
  /** getppid() inside (0 when the parent lives outside the task's pid namespace). */
  getppid: number;
  /** Inode number of each of /proc/<pid>/ns/*. */
  ns: Record<NsKind, number>;
  /** Inode of pid_for_children when it differs from ns.pid (after unshare --pid without --fork). */
  pidForChildren: number | null;
  /** uid as the host sees it and as the task's own user namespace sees it. */
  hostUid: number;
  uid: number;
  hostname: string;
  current: boolean;
}

export interface PidNsView {
  inum: number;
  level: number;
  /** The host pid of this namespace's init (pid 1), null once it died. */
  initHostPid: number | null;
  /** What `ps` run inside this namespace lists (pid/ppid/uid as seen from inside). */
  processes: { pid: number; ppid: number; comm: string; uid: number; hostPid: number }[];
}

export interface NamespaceRow {
  kind: NsKind;
  inum: number;
  /** Host pids of the live tasks using it. */
  holders: number[];
  /** One-line summary, e.g. `hostname web-1` or `level 1, init = host pid 1003`. */
  summary: string;
  /** Extra lines: `ip addr` output for net, uid_map/gid_map for user, mounts for mnt. */
  details: string[];
}

/** One device as `ip -d link` would describe it, with where its veth peer lives. */
export interface NetDeviceView {
  ifindex: number;
  name: string;
  type: 'loopback' | 'ethernet' | 'veth' | 'bridge';
  up: boolean;
  addresses: string[];
  /** The bridge this device is a port of (same namespace). */
  master: string | null;
  /** For a veth: the other end, its namespace's inode and ifindex. */
  peer: { name: string; netnsInum: number; ifindex: number } | null;
}

/** A live network namespace and its devices: the data behind the veth/bridge drawing. */
export interface NetNsView {
  inum: number;
  /** Host pids of the live tasks in it (empty for a namespace only a pin keeps alive). */
  holders: number[];
  /** Paths it is pinned at (`/var/run/netns/<name>`). */
  pinnedAt: string[];
  devices: NetDeviceView[];
}

export interface NsSnapshot {
  currentHostPid: number;
  processes: ProcessRow[];
  pidViews: PidNsView[];
  namespaces: NamespaceRow[];
  nets: NetNsView[];
}

function nsInums(k: Kernel, t: Task): Record<NsKind, number> {
  const out = {} as Record<NsKind, number>;
  for (const kind of NS_KINDS) out[kind] = k.nsOf(t, kind).inum;
  return out;
}

function summary(k: Kernel, ns: Namespace): { summary: string; details: string[] } {
  switch (ns.kind) {
    case 'uts': return { summary: `hostname ${ns.nodename}`, details: [] };
    case 'pid': return { summary: `level ${ns.level}, init = host pid ${ns.childReaperHostPid ?? '—'}${ns.adding ? '' : ' (dying: init exited)'}`, details: [] };
    case 'net': return { summary: ns.devices.map((d) => d.name).join(', ') || '(no devices)', details: formatIpAddr(ns) };
    case 'user': return { summary: `level ${ns.level}, owner uid ${ns.ownerKuid}${ns.uidMap ? '' : ', uid_map not written'}`, details: ns.parent ? ['uid_map:', formatIdMap(ns.uidMap), 'gid_map:', formatIdMap(ns.gidMap)].filter((l) => l !== '') : [] };
    case 'mnt': return { summary: `${ns.mounts.length} mounts`, details: ns.mounts.map((m) => `${m.source} on ${m.target} type ${m.fstype}`) };
    case 'ipc': return { summary: `${ns.msgQueueIds.length} message queues`, details: ns.msgQueueIds.map((id) => `msqid ${id}`) };
    case 'cgroup': return { summary: `root ${ns.rootPath}`, details: [] };
    case 'time': return { summary: `monotonic +${ns.monotonicOffsetSec}s, boottime +${ns.boottimeOffsetSec}s`, details: [] };
  }
  void k;
}

export function snapshot(k: Kernel, currentHostPid: number): NsSnapshot {
  const live = k.liveTasks();
  const processes: ProcessRow[] = live.map((t) => ({
    hostPid: t.hostPid,
    hostPpid: t.parentHostPid ?? 0,
    comm: t.comm,
    pids: [...t.numbers],
    getpid: k.getpid(t),
    getppid: k.getppid(t),
    ns: nsInums(k, t),
    pidForChildren: t.ns.pidForChildren === t.pidNs ? null : t.ns.pidForChildren.inum,
    hostUid: t.kuid,
    uid: fromKid(t.userNs, t.kuid, 'uid'),
    hostname: t.ns.uts.nodename,
    current: t.hostPid === currentHostPid,
  }));
  const pidNss = new Map<number, PidNamespace>();
  for (const t of live) for (let p: PidNamespace | null = t.pidNs; p; p = p.parent) pidNss.set(p.inum, p);
  const pidViews: PidNsView[] = [...pidNss.values()].sort((a, b) => a.level - b.level || a.inum - b.inum).map((p) => ({
    inum: p.inum,
    level: p.level,
    initHostPid: p.childReaperHostPid !== null && k.task(p.childReaperHostPid) ? p.childReaperHostPid : null,
    processes: live.filter((t) => k.pidIn(t, p) !== null).map((t) => {
      const parent = t.parentHostPid === null ? undefined : k.task(t.parentHostPid);
      return { pid: k.pidIn(t, p)!, ppid: parent ? k.pidIn(parent, p) ?? 0 : 0, comm: t.comm, uid: fromKid(p.owner ?? k.initUserNs, t.kuid, 'uid'), hostPid: t.hostPid };
    }).sort((a, b) => a.pid - b.pid),
  }));
  const rows = new Map<string, NamespaceRow>();
  for (const t of live) {
    for (const kind of NS_KINDS) {
      const ns = k.nsOf(t, kind);
      const key = `${kind}:${ns.inum}`;
      let row = rows.get(key);
      if (!row) {
        row = { kind, inum: ns.inum, holders: [], ...summary(k, ns) };
        rows.set(key, row);
      }
      row.holders.push(t.hostPid);
    }
  }
  const namespaces = [...rows.values()].sort((a, b) => NS_KINDS.indexOf(a.kind) - NS_KINDS.indexOf(b.kind) || a.inum - b.inum);
  const nets: NetNsView[] = [];
  const netOf = (n: NetNamespace): NetNsView => {
    let v = nets.find((x) => x.inum === n.inum);
    if (!v) {
      v = {
        inum: n.inum,
        holders: [],
        pinnedAt: [...k.pinned].filter(([, ns]) => ns === n).map(([path]) => path),
        devices: [...n.devices].sort((a, b) => a.ifindex - b.ifindex).map((d) => ({
          ifindex: d.ifindex, name: d.name, type: d.type, up: d.up, addresses: [...d.addresses], master: d.master,
          peer: d.peer ? { name: d.peer.name, netnsInum: d.peer.netnsInum, ifindex: d.peer.ifindex } : null,
        })),
      };
      nets.push(v);
    }
    return v;
  };
  for (const t of live) netOf(t.ns.net).holders.push(t.hostPid);
  for (const ns of k.pinned.values()) if (ns.kind === 'net') netOf(ns);
  nets.sort((a, b) => (a.inum === INIT_INUM.net ? -1 : b.inum === INIT_INUM.net ? 1 : a.inum - b.inum));
  return { currentHostPid, processes, pidViews, namespaces, nets };
}
