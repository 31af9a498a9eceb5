/**
 * One container process seen two ways — from the host (`ps`, /proc/<pid>/ns,
 * /proc/<pid>/cgroup on the node) and from inside (what `getpid()`,
 * `hostname`, `cat /proc/self/cgroup`, `mount` print in the container).
 * Backs the runtime chapter's "resulting process" panels.
 */
import type { KernelPort, NsKind } from '../kernel-port.ts';

export interface NamespaceRow {
  kind: NsKind;
  id: string;
  /** `new` (created for this container), `joined` (shared with another process), `host` (the node's own). */
  origin: 'new' | 'joined' | 'host';
  /** Host pids of other live processes in the same namespace (at most 5). */
  sharedWith: number[];
}

export interface ProcessView {
  host: { pid: number; ppid: number; parentComm: string; comm: string; argv: string[]; cgroup: string; namespaces: NamespaceRow[] };
  inside: {
    pid: number;
    hostname: string;
    /** /proc/self/cgroup as printed inside: "0::/" with a private cgroup namespace. */
    procSelfCgroup: string;
    mounts: { target: string; fstype: string; options: string }[];
    uid: number;
    gid: number;
    capabilities: { bounding: string[]; effective: string[]; permitted: string[]; inheritable: string[]; ambient: string[] };
    noNewPrivs: boolean;
    rlimits: { type: string; soft: number; hard: number }[];
    oomScoreAdj: number;
  };
}

const KINDS: NsKind[] = ['pid', 'net', 'mnt', 'uts', 'ipc', 'user', 'cgroup', 'time'];

export function processView(k: KernelPort, pid: number, livePids: number[], newKinds: Set<NsKind>): ProcessView | undefined {
  const p = k.process(pid);
  const init = k.process(k.initPid);
  if (!p || !init) return undefined;
  const others = livePids.filter((q) => q !== pid).map((q) => k.process(q)!).filter(Boolean);
  const namespaces: NamespaceRow[] = KINDS.map((kind) => {
    const id = p.ns[kind];
    const origin = id === init.ns[kind] ? 'host' : newKinds.has(kind) ? 'new' : 'joined';
    return { kind, id, origin, sharedWith: origin === 'host' ? [] : others.filter((o) => o.ns[kind] === id).map((o) => o.pid).slice(0, 5) };
  });
  const cgroupNsPrivate = p.ns.cgroup !== init.ns.cgroup;
  return {
    host: { pid: p.pid, ppid: p.ppid, parentComm: k.process(p.ppid)?.comm ?? '?', comm: p.comm, argv: p.argv, cgroup: `/sys/fs/cgroup${p.cgroup}`, namespaces },
    inside: {
      pid: k.pidInNamespace(pid, p.ns.pid) ?? pid,
      hostname: p.hostname,
      procSelfCgroup: cgroupNsPrivate ? '0::/' : `0::${p.cgroup}`,
      mounts: k.mounts(pid).map((m) => ({ target: m.target, fstype: m.fstype, options: m.options.join(',') })),
      uid: p.security.uid,
      gid: p.security.gid,
      capabilities: p.security.capabilities,
      noNewPrivs: p.security.noNewPrivs,
      rlimits: p.security.rlimits,
      oomScoreAdj: p.security.oomScoreAdj,
    },
  };
}
