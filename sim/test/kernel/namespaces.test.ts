/**
 * Namespaces after Linux v6.12 kernel/nsproxy.c, kernel/pid_namespace.c and
 * namespaces(7)/pid_namespaces(7)/user_namespaces(7): scripted scenarios and
 * a PID-translation property over many seeds.
 */
import { describe, expect, it } from 'vitest';
import { Kernel, type Task } from '../../src/kernel/process.ts';
import { Prng } from '../../src/core/prng.ts';
import { CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWUSER, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWCGROUP, CLONE_NEWTIME } from '../../src/kernel/namespaces/flags.ts';
import { runNamespaces, DEFAULT_NAMESPACES_SCRIPT } from '../../src/kernel/namespaces/script.ts';
import { parseIdMap, fromKid } from '../../src/kernel/namespaces/user.ts';

const must = <T>(r: { ok: true; value: T } | { ok: false; errors: { message: string }[] }): T => {
  if (!r.ok) throw new Error(r.errors[0]!.message);
  return r.value;
};

describe('CLONE_NEW* values (include/uapi/linux/sched.h)', () => {
  it('match the kernel header', () => {
    expect([CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWCGROUP, CLONE_NEWTIME]).toEqual([0x20000000, 0x40000000, 0x00020000, 0x04000000, 0x08000000, 0x10000000, 0x02000000, 0x00000080]);
  });
});

describe('pid namespaces', () => {
  it('a process has a pid in every ancestor namespace; getpid returns the innermost', () => {
    const k = new Kernel(new Prng(1));
    const init = k.task(1)!;
    const a = must(k.clone(init, CLONE_NEWPID, 'a'));
    const b = must(k.clone(a, CLONE_NEWPID, 'b'));
    const c = must(k.clone(b, 0, 'c'));
    expect(a.numbers).toEqual([2, 1]);
    expect(b.numbers).toEqual([3, 2, 1]);
    expect(c.numbers).toEqual([4, 3, 2]);
    expect(k.getpid(c)).toBe(2);
    expect(k.getppid(b)).toBe(0);
    expect(k.pidIn(c, a.pidNs)).toBe(3);
    expect(k.pidIn(a, b.pidNs)).toBeNull();
  });
  it('unshare(CLONE_NEWPID) does not move the caller; a second one before forking is EINVAL', () => {
    const k = new Kernel(new Prng(1));
    const sh = must(k.clone(k.task(1)!, 0, 'sh'));
    must(k.unshare(sh, CLONE_NEWPID));
    expect(k.getpid(sh)).toBe(sh.hostPid);
    const r = k.unshare(sh, CLONE_NEWPID);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.code).toBe('EINVAL');
    const child = must(k.clone(sh, 0, 'child'));
    expect(k.getpid(child)).toBe(1);
  });
  it('when the init of a pid namespace exits, everything in it dies and forks fail with ENOMEM', () => {
    const k = new Kernel(new Prng(1));
    const sh = must(k.clone(k.task(1)!, 0, 'sh'));
    must(k.unshare(sh, CLONE_NEWPID));
    const first = must(k.clone(sh, 0, 'first'));
    const second = must(k.clone(first, 0, 'second'));
    expect(k.exit(first).sort()).toEqual([first.hostPid, second.hostPid].sort());
    const r = k.clone(sh, 0, 'again');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.code).toBe('ENOMEM');
  });
  it('init ignores SIGKILL from inside its namespace but not from the host', () => {
    const k = new Kernel(new Prng(1));
    const init = must(k.clone(k.task(1)!, CLONE_NEWPID, 'init'));
    const inner = must(k.clone(init, 0, 'sh'));
    expect(must(k.kill(inner, 1))).toEqual([]);
    expect(init.alive).toBe(true);
    expect(must(k.kill(k.task(1)!, init.hostPid)).sort()).toEqual([init.hostPid, inner.hostPid].sort());
  });
  it('orphans are reparented to the init of their pid namespace', () => {
    const k = new Kernel(new Prng(1));
    const init = must(k.clone(k.task(1)!, CLONE_NEWPID, 'init'));
    const mid = must(k.clone(init, 0, 'mid'));
    const leaf = must(k.clone(mid, 0, 'leaf'));
    k.exit(mid);
    expect(leaf.parentHostPid).toBe(init.hostPid);
    expect(k.getppid(leaf)).toBe(1);
  });
  it('nesting stops at MAX_PID_NS_LEVEL (32) with ENOSPC', () => {
    const k = new Kernel(new Prng(1));
    let t: Task = k.task(1)!;
    for (let i = 0; i < 32; i++) t = must(k.clone(t, CLONE_NEWPID, `l${i + 1}`));
    const r = k.clone(t, CLONE_NEWPID, 'too-deep');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.code).toBe('ENOSPC');
  });
  it('setns(pid) may only enter the active namespace or a descendant', () => {
    const k = new Kernel(new Prng(1));
    const c = must(k.clone(k.task(1)!, CLONE_NEWPID, 'c'));
    const inside = must(k.clone(c, 0, 'in'));
    const r = k.setns(inside, k.task(1)!, 'pid');
    expect(r.ok).toBe(false);
    const host = must(k.clone(k.task(1)!, 0, 'nsenter'));
    must(k.setns(host, c, 'pid'));
    expect(k.getpid(must(k.clone(host, 0, 'joined')))).toBe(3);
  });
});

describe('PID translation is a bijection per namespace (property, 150 seeds)', () => {
  it('numbers are unique within each namespace and map back to the same task', () => {
    for (let seed = 1; seed <= 150; seed++) {
      const prng = new Prng(seed);
      const k = new Kernel(prng.fork());
      for (let step = 0; step < 60; step++) {
        const live = k.liveTasks();
        const t = live[prng.intBetween(0, live.length)]!;
        const roll = prng.nextFloat();
        if (roll < 0.55) k.clone(t, prng.chance(0.25) ? CLONE_NEWPID : 0, `p${step}`);
        else if (roll < 0.7) k.unshare(t, CLONE_NEWPID);
        else if (t.hostPid !== 1) k.exit(t);
      }
      const live = k.liveTasks();
      const nss = new Set(live.flatMap((t) => { const out = []; for (let p: typeof t.pidNs | null = t.pidNs; p; p = p.parent) out.push(p); return out; }));
      for (const ns of nss) {
        const visible = live.filter((t) => k.pidIn(t, ns) !== null);
        const nrs = visible.map((t) => k.pidIn(t, ns)!);
        if (new Set(nrs).size !== nrs.length) throw new Error(`seed ${seed}: duplicate pid in namespace ${ns.inum}`);
        for (const t of visible) {
          if (ns.nrToHostPid.get(k.pidIn(t, ns)!) !== t.hostPid) throw new Error(`seed ${seed}: pid ${k.pidIn(t, ns)} in ${ns.inum} does not map back to host pid ${t.hostPid}`);
        }
        const mapped = [...ns.nrToHostPid.values()].filter((h) => k.task(h));
        if (mapped.length !== visible.length) throw new Error(`seed ${seed}: namespace ${ns.inum} maps ${mapped.length} live tasks but ${visible.length} are visible`);
      }
    }
  });
});

describe('user namespaces', () => {
  it('parses uid_map and refuses overlaps and empty extents', () => {
    expect(parseIdMap('0 1000 1\n1 100000 65536')).toEqual({ ok: true, extents: [{ first: 0, lowerFirst: 1000, count: 1 }, { first: 1, lowerFirst: 100000, count: 65536 }] });
    expect(parseIdMap('0 1000 10\n5 2000 1').ok).toBe(false);
    expect(parseIdMap('0 1000 0').ok).toBe(false);
  });
  it('an unmapped uid shows as 65534; after mapping 0→1000 it shows as 0', () => {
    const k = new Kernel(new Prng(1));
    const sh = must(k.clone(k.task(1)!, 0, 'sh'));
    sh.kuid = 1000;
    sh.hasCaps = false;
    must(k.unshare(sh, CLONE_NEWUSER));
    expect(fromKid(sh.userNs, sh.kuid, 'uid')).toBe(65534);
    sh.userNs.uidMap = [{ first: 0, lowerFirst: 1000, count: 1 }];
    expect(fromKid(sh.userNs, sh.kuid, 'uid')).toBe(0);
    // Root inside the new user namespace can create a network namespace it owns…
    must(k.unshare(sh, CLONE_NEWNET));
    // …but an unprivileged host process cannot create one directly.
    const other = must(k.clone(k.task(1)!, 0, 'user'));
    other.kuid = 1000;
    other.hasCaps = false;
    const r = k.unshare(other, CLONE_NEWNET);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.code).toBe('EPERM');
  });
});

describe('runNamespaces', () => {
  it('the default script builds a container: pid 1 inside, hostname web-1, eth0 reaching cni0, root mapped to uid 1000', () => {
    const r = runNamespaces(DEFAULT_NAMESPACES_SCRIPT, { seed: 7 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const { steps, final } = r.value;
    expect(steps.filter((s) => s.error)).toEqual([]);
    expect(steps.find((s) => s.command === 'getpid')!.output[0]).toBe('getpid() = 1, getppid() = 0, host pid 1002');
    expect(steps.find((s) => s.command.startsWith('ping'))!.output[0]).toMatch(/reply from 10\.244\.1\.1/);
    const inner = final.pidViews.find((v) => v.level === 1)!;
    expect(inner.processes.map((p) => [p.pid, p.comm])).toEqual([[1, 'bash'], [2, 'sleep']]);
    expect(final.processes.find((p) => p.hostPid === 1002)!.hostname).toBe('web-1');
    expect(final.processes.find((p) => p.hostPid === 1)!.hostname).toBe('node-1');
    expect(steps.at(-1)!.output[0]).toBe('uid=0 gid=0 (host uid=1000 gid=1000)');
  });
  it('ping fails while the host end of the veth is down', () => {
    const script = DEFAULT_NAMESPACES_SCRIPT.replace('ip link set veth0 up\n', '');
    const r = runNamespaces(script, { seed: 7 });
    if (!r.ok) throw new Error('parse');
    expect(r.value.steps.find((s) => s.command.startsWith('ping'))!.error?.code).toBe('EHOSTUNREACH');
  });
  it('unshare --pid without --fork: the shell stays outside, spawn prints the child pid as the shell sees it', () => {
    const r = runNamespaces('unshare --pid\nspawn a\nkill 1003\nspawn b\n');
    if (!r.ok) throw new Error(r.errors[0]!.message);
    // bash(1001 = unshare exec'd) spawns a (1002)… pids: unshare process is 1001, its child a is 1002
    const out = r.value.steps.map((s) => s.output.join(' '));
    expect(out[1]).toBe('[1] 1002');
  });
  it('a killed pid-namespace init takes its children and the next fork is ENOMEM', () => {
    const r = runNamespaces('unshare --pid\nspawn a\nkill 1002\nspawn b\n');
    if (!r.ok) throw new Error(r.errors[0]!.message);
    expect(r.value.steps[3]!.error?.code).toBe('ENOMEM');
  });
  it('moving a veth end into a namespace that then loses its last process deletes both ends', () => {
    const r = runNamespaces('unshare --net --fork\nuse 1000\nip link add v0 type veth peer name v1\nip link set v1 netns 1002\nkill 1002\nip link\n');
    if (!r.ok) throw new Error(r.errors[0]!.message);
    expect(r.value.steps.at(-1)!.output.join('\n')).not.toMatch(/v0/);
  });
  it('reports syntax errors with line and column', () => {
    const r = runNamespaces('hostname a\nunshare --bogus\nfrobnicate\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.line, e.column, e.code])).toEqual([[2, 9, 'SCRIPT_SYNTAX'], [3, 1, 'SCRIPT_UNKNOWN_COMMAND']]);
  });
  it('uid_map can be written once', () => {
    const r = runNamespaces('setuid 1000\nunshare --user\necho "0 1000 1" > /proc/self/uid_map\necho "0 1000 1" > /proc/self/uid_map\nid\n');
    if (!r.ok) throw new Error(r.errors[0]!.message);
    expect(r.value.steps.map((s) => s.error?.code ?? null)).toEqual([null, null, null, 'EPERM', null]);
    expect(r.value.steps[4]!.output[0]).toBe('uid=0 gid=65534 (host uid=1000 gid=1000)');
  });
});
