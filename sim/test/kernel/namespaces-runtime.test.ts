/**
 * Kernel features the container runtime (Layer 2) drives: namespaces pinned at a
 * path (iproute2 ip/ipnetns.c netns_add; containerd pkg/netns/netns_linux.go),
 * setns(2) on an open namespace file, prctl(PR_SET_CHILD_SUBREAPER) and
 * CLONE_PARENT (Linux v6.12 kernel/exit.c find_new_reaper, kernel/fork.c
 * copy_process; runc libcontainer/nsenter/nsexec.c).
 */
import { describe, expect, it } from 'vitest';
import { Kernel } from '../../src/kernel/process.ts';
import { Prng } from '../../src/core/prng.ts';
import { CLONE_NEWNET, CLONE_NEWPID, CLONE_PARENT } from '../../src/kernel/namespaces/flags.ts';
import { runNamespaces } from '../../src/kernel/namespaces/script.ts';

const must = <T>(r: { ok: true; value: T } | { ok: false; errors: { message: string }[] }): T => {
  if (!r.ok) throw new Error(r.errors[0]!.message);
  return r.value;
};

describe('pinned namespaces and setns by path', () => {
  it('a pinned network namespace outlives every process and can be entered by its path', () => {
    const k = new Kernel(new Prng(1));
    const host = k.task(1)!;
    const net = must(k.newNetNamespace(host));
    must(k.pin('/var/run/netns/cni-1', net));
    k.gcNamespaces();
    expect(k.netnsByInum(net.inum)).toBe(net);
    const pause = must(k.clone(host, 0, 'pause'));
    must(k.setnsByPath(pause, '/var/run/netns/cni-1'));
    expect(pause.ns.net).toBe(net);
    // A second pin at the same path is EEXIST, like a second `ip netns add`.
    const again = k.pin('/var/run/netns/cni-1', net);
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.errors[0]!.code).toBe('EEXIST');
  });
  it('/proc/<pid>/ns/<kind> resolves the pid in the caller\'s pid namespace', () => {
    const k = new Kernel(new Prng(1));
    const c = must(k.clone(k.task(1)!, CLONE_NEWPID | CLONE_NEWNET, 'c'));
    const joiner = must(k.clone(k.task(1)!, 0, 'nsenter'));
    must(k.setnsByPath(joiner, `/proc/${c.hostPid}/ns/net`));
    expect(joiner.ns.net).toBe(c.ns.net);
    // Inside c's pid namespace, pid 1 is c itself.
    const inside = must(k.clone(c, 0, 'sh'));
    expect(must(k.nsByPath(inside, '/proc/1/ns/net'))).toBe(c.ns.net);
    expect(must(k.nsByPath(inside, '/proc/self/ns/pid'))).toBe(c.pidNs);
    const missing = k.nsByPath(inside, '/var/run/netns/nope');
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.errors[0]!.code).toBe('ENOENT');
  });
  it('unpinning destroys a network namespace nobody holds, taking the veth peer with it', () => {
    const r = runNamespaces('ip netns add cni-1\nip link add veth1 type veth peer name eth1\nip link set eth1 netns cni-1\nip netns list\nip netns del cni-1\nip link\n');
    if (!r.ok) throw new Error(r.errors[0]!.message);
    const listed = r.value.steps[3]!;
    expect(listed.output[0]).toMatch(/^cni-1 \(net:\[\d+\]\)$/);
    expect(listed.snapshot.nets.find((n) => n.pinnedAt.includes('/var/run/netns/cni-1'))!.holders).toEqual([]);
    expect(r.value.steps.at(-1)!.output.join('\n')).not.toMatch(/veth1/);
    expect(r.value.final.nets).toHaveLength(1);
  });
  it('nsenter --net=<path> and setns <path> join the pinned namespace', () => {
    const r = runNamespaces('ip netns add cni-1\nnsenter --net=/var/run/netns/cni-1 sh\nip addr\nexit\nsetns /var/run/netns/cni-1\nhostname\n');
    if (!r.ok) throw new Error(r.errors[0]!.message);
    const pinned = r.value.steps[0]!.snapshot.nets.find((n) => n.pinnedAt.length > 0)!;
    expect(r.value.steps[2]!.output.join('\n')).toMatch(/^1: lo: <LOOPBACK> mtu 65536 state DOWN/);
    expect(r.value.final.nets.find((n) => n.inum === pinned.inum)!.holders).toEqual([1000]);
  });
});

describe('child subreaper and CLONE_PARENT', () => {
  it('orphans go to the nearest subreaper ancestor, not to init (find_new_reaper)', () => {
    const k = new Kernel(new Prng(1));
    const shim = must(k.clone(k.task(1)!, 0, 'containerd-shim'));
    k.setChildSubreaper(shim, true);
    const runc = must(k.clone(shim, 0, 'runc'));
    const init = must(k.clone(runc, 0, 'container-init'));
    k.exit(runc);
    expect(init.parentHostPid).toBe(shim.hostPid);
    // Without the flag the orphan goes to pid 1.
    const other = must(k.clone(k.task(1)!, 0, 'plain'));
    const mid = must(k.clone(other, 0, 'mid'));
    const leaf = must(k.clone(mid, 0, 'leaf'));
    k.exit(mid);
    expect(leaf.parentHostPid).toBe(1);
  });
  it('a subreaper outside the orphan\'s pid namespace does not adopt it; the namespace init does', () => {
    const k = new Kernel(new Prng(1));
    const shim = must(k.clone(k.task(1)!, 0, 'shim'));
    k.setChildSubreaper(shim, true);
    const init = must(k.clone(shim, CLONE_NEWPID, 'init'));
    const mid = must(k.clone(init, 0, 'mid'));
    const leaf = must(k.clone(mid, 0, 'leaf'));
    k.exit(mid);
    expect(leaf.parentHostPid).toBe(init.hostPid);
  });
  it('CLONE_PARENT makes the child a sibling of the caller; from a namespace init it is EINVAL', () => {
    const k = new Kernel(new Prng(1));
    const stage0 = must(k.clone(k.task(1)!, 0, 'runc:[0:PARENT]'));
    const stage1 = must(k.clone(stage0, CLONE_PARENT, 'runc:[1:CHILD]'));
    expect(stage1.parentHostPid).toBe(stage0.parentHostPid);
    const init = must(k.clone(k.task(1)!, CLONE_NEWPID, 'init'));
    const r = k.clone(init, CLONE_PARENT, 'x');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.code).toBe('EINVAL');
  });
});

describe('a pinned namespace left by its last process after unpinning', () => {
  it('is destroyed when that process moves away (setns back to the host)', () => {
    const r = runNamespaces('ip netns add x\nip link add a type veth peer name b\nip link set b netns x\nsetns /var/run/netns/x\nip netns del x\nsetns /proc/1/ns/net\nip link\n');
    if (!r.ok) throw new Error(r.errors[0]!.message);
    expect(r.value.steps.map((s) => s.error?.code ?? null)).toEqual([null, null, null, null, null, null, null]);
    expect(r.value.steps.at(-1)!.output.join('\n')).not.toMatch(/\ba@/);
    expect(r.value.final.nets).toHaveLength(1);
  });
});

describe('invariants under CLONE_PARENT, subreapers and pinned namespaces (property, 120 seeds)', () => {
  it('pids stay a bijection per namespace and every orphan has a live parent it can see', () => {
    for (let seed = 1; seed <= 120; seed++) {
      const prng = new Prng(seed);
      const k = new Kernel(prng.fork());
      for (let step = 0; step < 60; step++) {
        const live = k.liveTasks();
        const t = live[prng.intBetween(0, live.length)]!;
        const roll = prng.nextFloat();
        if (roll < 0.45) k.clone(t, (prng.chance(0.25) ? CLONE_NEWPID : 0) | (prng.chance(0.2) ? CLONE_PARENT : 0) | (prng.chance(0.2) ? CLONE_NEWNET : 0), `p${step}`);
        else if (roll < 0.55) k.setChildSubreaper(t, true);
        else if (roll < 0.62) { const n = k.newNetNamespace(t); if (n.ok) k.pin(`/var/run/netns/n${step}`, n.value); }
        else if (roll < 0.7) { const paths = [...k.pinned.keys()]; if (paths.length) k.setnsByPath(t, paths[prng.intBetween(0, paths.length)]!); }
        else if (roll < 0.75) { const paths = [...k.pinned.keys()]; if (paths.length) k.unpin(paths[prng.intBetween(0, paths.length)]!); }
        else if (t.hostPid !== 1) k.exit(t);
      }
      for (const t of k.liveTasks()) {
        if (t.hostPid === 1) continue;
        const parent = t.parentHostPid === null ? undefined : k.task(t.parentHostPid);
        if (!parent) throw new Error(`seed ${seed}: host pid ${t.hostPid} has no live parent`);
        if (k.pidIn(parent, t.pidNs) === null && t.pidNs.childReaperHostPid !== t.hostPid && parent.pidNs.level > t.pidNs.level) throw new Error(`seed ${seed}: parent ${parent.hostPid} of ${t.hostPid} sits in a deeper pid namespace`);
      }
      const live = k.liveTasks();
      const nss = new Set(live.flatMap((t) => { const out = []; for (let p: typeof t.pidNs | null = t.pidNs; p; p = p.parent) out.push(p); return out; }));
      for (const ns of nss) {
        const nrs = live.filter((t) => k.pidIn(t, ns) !== null).map((t) => k.pidIn(t, ns)!);
        if (new Set(nrs).size !== nrs.length) throw new Error(`seed ${seed}: duplicate pid in namespace ${ns.inum}`);
        for (const t of live) { const nr = k.pidIn(t, ns); if (nr !== null && ns.nrToHostPid.get(nr) !== t.hostPid) throw new Error(`seed ${seed}: pid ${nr} in ${ns.inum} does not map back to ${t.hostPid}`); }
      }
      // Every veth end still has its peer (a destroyed namespace takes both ends).
      for (const t of live) for (const d of t.ns.net.devices) if (d.type === 'veth' && d.peer && d.peer.peer !== d) throw new Error(`seed ${seed}: veth ${d.name} lost its peer link`);
    }
  });
});
