/**
 * CLONE_NEW* flags as clone(2), unshare(2) and setns(2) take them.
 * Values from Linux include/uapi/linux/sched.h (v6.12).
 * Backs Layer 1 "Namespaces".
 */
/** Not a namespace flag: the child gets the caller's parent as its parent (runc's nsexec uses it). */
export const CLONE_PARENT = 0x00008000;
export const CLONE_NEWTIME = 0x00000080;
export const CLONE_NEWNS = 0x00020000;
export const CLONE_NEWCGROUP = 0x02000000;
export const CLONE_NEWUTS = 0x04000000;
export const CLONE_NEWIPC = 0x08000000;
export const CLONE_NEWUSER = 0x10000000;
export const CLONE_NEWPID = 0x20000000;
export const CLONE_NEWNET = 0x40000000;

/** The `/proc/<pid>/ns/<kind>` file names. */
export type NsKind = 'mnt' | 'uts' | 'ipc' | 'user' | 'pid' | 'net' | 'cgroup' | 'time';

export const NS_KINDS: readonly NsKind[] = ['user', 'mnt', 'uts', 'ipc', 'pid', 'net', 'cgroup', 'time'];

export const CLONE_FLAG_OF: Record<NsKind, number> = {
  mnt: CLONE_NEWNS,
  uts: CLONE_NEWUTS,
  ipc: CLONE_NEWIPC,
  user: CLONE_NEWUSER,
  pid: CLONE_NEWPID,
  net: CLONE_NEWNET,
  cgroup: CLONE_NEWCGROUP,
  time: CLONE_NEWTIME,
};

export const CLONE_FLAG_NAME: Record<NsKind, string> = {
  mnt: 'CLONE_NEWNS',
  uts: 'CLONE_NEWUTS',
  ipc: 'CLONE_NEWIPC',
  user: 'CLONE_NEWUSER',
  pid: 'CLONE_NEWPID',
  net: 'CLONE_NEWNET',
  cgroup: 'CLONE_NEWCGROUP',
  time: 'CLONE_NEWTIME',
};

/** The kinds named by a flag word. */
export function kindsOf(flags: number): NsKind[] {
  return NS_KINDS.filter((k) => (flags & CLONE_FLAG_OF[k]) !== 0);
}

/** e.g. "CLONE_NEWPID|CLONE_NEWNET (0x60000000)". */
export function formatFlags(flags: number): string {
  const names = kindsOf(flags).map((k) => CLONE_FLAG_NAME[k]);
  return `${names.join('|') || '0'} (0x${(flags >>> 0).toString(16).padStart(8, '0')})`;
}

/** util-linux unshare(1)/nsenter(1) long and short options → kind. */
export const OPTION_KIND: Record<string, NsKind> = {
  '--mount': 'mnt', '-m': 'mnt',
  '--uts': 'uts', '-u': 'uts',
  '--ipc': 'ipc', '-i': 'ipc',
  '--net': 'net', '-n': 'net',
  '--pid': 'pid', '-p': 'pid',
  '--user': 'user', '-U': 'user',
  '--cgroup': 'cgroup', '-C': 'cgroup',
  '--time': 'time', '-T': 'time',
};
