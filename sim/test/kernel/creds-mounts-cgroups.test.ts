/**
 * Layer 1 additions used by the container runtime: capability sets and ids
 * (security/commoncap.c cap_capset, cap_task_prctl, cap_emulate_setxuid,
 * Linux v6.12; capabilities(7)), rlimits (kernel/sys.c do_prlimit), per-mount-
 * namespace mount tables and pivot_root (pivot_root(2)), and tasks following
 * the cgroup v2 tree (kernel/cgroup/cgroup.c cgroup_post_fork, cgroup_attach_task;
 * cgroup-v2.rst "no internal process" rule; cpu.max / pids.max parsing in
 * kernel/sched/core.c and kernel/cgroup/pids.c).
 */
import { describe, expect, it } from 'vitest';
import { Prng } from '../../src/core/prng.ts';
import { Kernel, type Task } from '../../src/kernel/process.ts';
import { CAPABILITIES, capset, rootSecurity } from '../../src/kernel/creds.ts';
import { CgroupTree } from '../../src/kernel/cgroups/hierarchy.ts';
import { cpuController, pidsController } from '../../src/kernel/cgroups/controllers.ts';
import { CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWUSER } from '../../src/kernel/namespaces/flags.ts';

const DEFAULT_CAPS = ['CAP_CHOWN', 'CAP_KILL', 'CAP_SETUID', 'CAP_SETGID', 'CAP_NET_BIND_SERVICE'];

function spawn(k: Kernel, parent: Task, flags: number, comm: string): Task {
  const r = k.clone(parent, flags, comm);
  if (!r.ok) throw new Error(r.errors[0]!.message);
  return r.value;
}

function kernel() {
  const k = new Kernel(new Prng(1));
  const tree = new CgroupTree();
  tree.registerController(cpuController());
  tree.registerController(pidsController(tree));
  k.attachCgroupTree(tree);
  return { k, tree, init: k.task(1)! };
}

describe('capabilities (capset rules, commoncap.c)', () => {
  const rows: { name: string; next: { effective: string[]; permitted: string[]; inheritable: string[] }; code: string | null }[] = [
    { name: 'shrinking permitted and effective together', next: { effective: DEFAULT_CAPS, permitted: DEFAULT_CAPS, inheritable: [] }, code: null },
    { name: 'effective outside the new permitted', next: { effective: ['CAP_SYS_ADMIN'], permitted: DEFAULT_CAPS, inheritable: [] }, code: 'EPERM' },
    { name: 'inheritable from permitted', next: { effective: [], permitted: DEFAULT_CAPS, inheritable: ['CAP_KILL'] }, code: null },
  ];
  for (const r of rows) {
    it(r.name, () => {
      const s = rootSecurity();
      const res = capset(s, r.next);
      expect(res.ok ? null : res.errors[0]!.code).toBe(r.code);
    });
  }

  it('permitted can never grow again; the bounding set shrinks only with CAP_SETPCAP', () => {
    const { k, init } = kernel();
    const t = spawn(k, init, 0, 'c');
    expect(k.capset(t, { effective: ['CAP_KILL'], permitted: ['CAP_KILL'], inheritable: [] }).ok).toBe(true);
    const again = k.capset(t, { effective: ['CAP_KILL', 'CAP_CHOWN'], permitted: ['CAP_KILL', 'CAP_CHOWN'], inheritable: [] });
    expect(again.ok ? '' : again.errors[0]!.code).toBe('EPERM');
    const drop = k.dropBounding(t, ['CAP_SYS_ADMIN']);
    expect(drop.ok ? '' : drop.errors[0]!.code).toBe('EPERM');
    expect(t.hasCaps).toBe(false);
    // capable() follows: without CAP_SYS_ADMIN the task can no longer create namespaces.
    const u = k.unshare(t, CLONE_NEWNS);
    expect(u.ok ? '' : u.errors[0]!.code).toBe('EPERM');
  });

  it('leaving uid 0 clears permitted unless keepcaps; effective always (cap_emulate_setxuid)', () => {
    const { k, init } = kernel();
    const a = spawn(k, init, 0, 'a');
    expect(k.setIds(a, 1000, 1000, []).ok).toBe(true);
    expect(a.security.caps.permitted).toEqual([]);
    expect(a.kuid).toBe(1000);
    const b = spawn(k, init, 0, 'b');
    k.setKeepCaps(b, true);
    expect(k.setIds(b, 1000, 1000, [10]).ok).toBe(true);
    expect(b.security.caps.permitted).toEqual([...CAPABILITIES]);
    expect(b.security.caps.effective).toEqual([]);
    expect(b.security.groups).toEqual([10]);
    // Now without CAP_SETUID in effective, another uid change fails.
    const c = k.setIds(b, 0, 0, []);
    expect(c.ok ? '' : c.errors[0]!.code).toBe('EPERM');
  });

  it('a child in a new user namespace holds every capability there; ids must be mapped to be used', () => {
    const { k, init } = kernel();
    const t = spawn(k, init, CLONE_NEWUSER, 'u');
    expect(t.security.caps.effective).toEqual([...CAPABILITIES]);
    const unmapped = k.setIds(t, 0, 0, []);
    expect(unmapped.ok ? '' : unmapped.errors[0]!.code).toBe('EINVAL');
    expect(k.writeIdMap(init, t, 'uid', [{ first: 0, lowerFirst: 100000, count: 65536 }]).ok).toBe(true);
    expect(k.writeIdMap(init, t, 'gid', [{ first: 0, lowerFirst: 100000, count: 65536 }]).ok).toBe(true);
    const twice = k.writeIdMap(init, t, 'uid', [{ first: 0, lowerFirst: 100000, count: 1 }]);
    expect(twice.ok ? '' : twice.errors[0]!.code).toBe('EPERM');
    expect(k.setIds(t, 0, 0, []).ok).toBe(true);
    expect(t.kuid).toBe(100000);
  });

  it('rlimits: soft above hard is EINVAL; raising a hard limit needs CAP_SYS_RESOURCE in the caller', () => {
    const { k, init } = kernel();
    const t = spawn(k, init, 0, 't');
    const bad = k.prlimit(init, t, [{ type: 'RLIMIT_NOFILE', soft: 2048, hard: 1024 }]);
    expect(bad.ok ? '' : bad.errors[0]!.code).toBe('EINVAL');
    expect(k.prlimit(init, t, [{ type: 'RLIMIT_NOFILE', soft: 1024, hard: 1024 }]).ok).toBe(true);
    const weak = spawn(k, init, 0, 'weak');
    expect(k.capset(weak, { effective: [], permitted: [], inheritable: [] }).ok).toBe(true);
    const raise = k.prlimit(weak, t, [{ type: 'RLIMIT_NOFILE', soft: 1024, hard: 4096 }]);
    expect(raise.ok ? '' : raise.errors[0]!.code).toBe('EPERM');
    expect(t.security.rlimits).toEqual([{ type: 'RLIMIT_NOFILE', soft: 1024, hard: 1024 }]);
  });

  it('seccomp without no_new_privs needs CAP_SYS_ADMIN', () => {
    const { k, init } = kernel();
    const t = spawn(k, init, 0, 't');
    expect(k.capset(t, { effective: [], permitted: [], inheritable: [] }).ok).toBe(true);
    const r = k.installSeccomp(t, 'filter');
    expect(r.ok ? '' : r.errors[0]!.code).toBe('EACCES');
    k.setNoNewPrivs(t);
    expect(k.installSeccomp(t, 'filter').ok).toBe(true);
  });
});

describe('mount tables per mount namespace and pivot_root', () => {
  it('a mount in a new mount namespace is invisible to the host; pivot_root rebases and detaches the old root', () => {
    const { k, init } = kernel();
    expect(k.mount(init, { source: 'overlay', target: '/run/c1/rootfs', fstype: 'overlay', options: ['lowerdir=/l'] }).ok).toBe(true);
    const t = spawn(k, init, CLONE_NEWNS, 'c');
    expect(t.ns.mnt).not.toBe(init.ns.mnt);
    expect(k.mount(t, { source: 'proc', target: '/run/c1/rootfs/proc', fstype: 'proc' }).ok).toBe(true);
    expect(init.ns.mnt.mounts.some((m) => m.target === '/run/c1/rootfs/proc')).toBe(false);
    expect(k.pivotRoot(t, '/run/c1/rootfs').ok).toBe(true);
    expect(t.ns.mnt.mounts.map((m) => [m.target, m.fstype])).toEqual([['/', 'overlay'], ['/proc', 'proc']]);
    expect(t.ns.mnt.mounts[0]!.options).toEqual(['lowerdir=/l']);
    expect(init.ns.mnt.mounts.some((m) => m.target === '/')).toBe(true);
  });

  it('umount removes the topmost mount; EINVAL when nothing is mounted, EBUSY with mounts below', () => {
    const { k, init } = kernel();
    expect(k.mount(init, { source: 'a', target: '/mnt', fstype: 'tmpfs' }).ok).toBe(true);
    expect(k.mount(init, { source: 'b', target: '/mnt', fstype: 'tmpfs' }).ok).toBe(true);
    expect(k.mount(init, { source: 'c', target: '/mnt/sub', fstype: 'tmpfs' }).ok).toBe(true);
    const busy = k.umount(init, '/mnt');
    expect(busy.ok ? '' : busy.errors[0]!.code).toBe('EBUSY');
    expect(k.umount(init, '/mnt/sub').ok).toBe(true);
    expect(k.umount(init, '/mnt').ok).toBe(true);
    expect(init.ns.mnt.mounts.filter((m) => m.target === '/mnt').map((m) => m.source)).toEqual(['a']);
    expect(k.umount(init, '/mnt').ok).toBe(true);
    const none = k.umount(init, '/mnt');
    expect(none.ok ? '' : none.errors[0]!.code).toBe('EINVAL');
  });

  it('pivot_root needs a mount point, and the sim refuses the host namespace', () => {
    const { k, init } = kernel();
    const host = k.pivotRoot(init, '/');
    expect(host.ok ? '' : host.errors[0]!.code).toBe('EINVAL');
    const t = spawn(k, init, CLONE_NEWNS, 'c');
    const r = k.pivotRoot(t, '/not/mounted');
    expect(r.ok ? '' : r.errors[0]!.message).toMatch(/not a mount point/);
  });
});

describe('tasks follow the cgroup v2 tree', () => {
  it('fork inherits the cgroup, cgroup.procs moves, exit detaches, internal nodes refuse processes', () => {
    const { k, tree, init } = kernel();
    expect(tree.cgroupOf(1)?.path).toBe('/init.scope');
    expect(tree.ensure('/kubepods.slice/pod.slice/c1.scope').ok).toBe(true);
    const t = spawn(k, init, CLONE_NEWPID, 'c');
    expect(tree.cgroupOf(t.hostPid)?.path).toBe('/init.scope');
    expect(k.moveToCgroup(t, '/kubepods.slice/pod.slice/c1.scope').ok).toBe(true);
    expect(t.cgroupPath).toBe('/kubepods.slice/pod.slice/c1.scope');
    const child = spawn(k, t, 0, 'child');
    expect(tree.cgroupOf(child.hostPid)).toBe(tree.lookup('/kubepods.slice/pod.slice/c1.scope'));
    const internal = k.moveToCgroup(child, '/kubepods.slice/pod.slice');
    expect(internal.ok ? '' : internal.errors[0]!.code).toBe('EBUSY');
    expect(tree.read('/kubepods.slice/pod.slice/c1.scope', 'pids.current')).toEqual({ ok: true, value: '2\n' });
    k.exit(t, 0); // init of its pid namespace: the child dies too
    expect(tree.lookup('/kubepods.slice/pod.slice/c1.scope')!.procs.size).toBe(0);
    expect(child.exitStatus).toBe(137);
    expect(tree.rmdir('/kubepods.slice/pod.slice/c1.scope').ok).toBe(true);
  });

  it('cpu.max with only $MAX keeps the period; bad values are EINVAL with the offending column', () => {
    const { tree } = kernel();
    tree.ensure('/a');
    expect(tree.write('/a', 'cpu.max', '50000 200000').ok).toBe(true);
    expect(tree.write('/a', 'cpu.max', '25000').ok).toBe(true);
    expect(tree.read('/a', 'cpu.max')).toEqual({ ok: true, value: '25000 200000\n' });
    const bad = tree.write('/a', 'cpu.weight', '0');
    expect(bad.ok ? '' : bad.errors[0]!.code).toBe('EINVAL');
    const pids = tree.write('/a', 'pids.max', '-1');
    expect(pids.ok ? '' : pids.errors[0]!.code).toBe('EINVAL');
    expect(tree.write('/a', 'pids.max', 'max').ok).toBe(true);
  });
});
