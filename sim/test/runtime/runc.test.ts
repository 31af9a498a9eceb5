import { describe, expect, it } from 'vitest';
import { parseLocatedJson } from '../../src/runtime/oci/json-located.ts';
import { DEFAULT_RUNC_CONFIG, RUNC_WIDGET_PAUSE_PID, runRuncConfig } from '../../src/runtime/widgets/runc-config.ts';
import { expandSlice, resolveCgroupsPath } from '../../src/runtime/runc/cgroups-path.ts';
import { convertCpuSharesToCgroupV2Value, cgroupWritesFor } from '../../src/runtime/runc/resources.ts';
import { cpuWeightFromSharesRunc } from '../../src/node/kubelet/cm/cpu.ts';

const edit = (f: (spec: any) => void): string => {
  const spec = JSON.parse(DEFAULT_RUNC_CONFIG);
  f(spec);
  return JSON.stringify(spec, null, 2);
};
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
const lastLineOf = (text: string, needle: string) => text.split('\n').map((l) => l.includes(needle)).lastIndexOf(true) + 1;

describe('located JSON', () => {
  it.each([
    ['{\n  "a": 1,\n}', 3, 1, 'trailing comma'],
    ['{\n  "a": [1 2]\n}', 2, 11, "expected ','"],
    ["{ 'a': 1 }", 1, 3, 'double quotes'],
    ['{"a": "x\ny"}', 1, 9, 'control character'],
    ['{"a": 1} x', 1, 10, 'after the end'],
  ])('%j → line %i column %i', (text, line, column, msg) => {
    const r = parseLocatedJson(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors[0]).toMatchObject({ code: 'JSON_SYNTAX', line, column });
      expect(r.errors[0]!.message).toContain(msg);
    }
  });
  it('locates nested fields and array elements', () => {
    const r = parseLocatedJson('{\n  "linux": {\n    "namespaces": [\n      {"type": "pid"},\n      {"type": "net"}\n    ]\n  }\n}');
    if (!r.ok) throw new Error('parse');
    expect(r.value.locate('linux.namespaces[1].type')).toEqual({ line: 5, column: 16 });
    expect(r.value.locate('linux.missing')).toEqual({ line: 2, column: 12 });
  });
});

describe('runc cgroups paths (opencontainers/cgroups systemd ExpandSlice tests)', () => {
  it.each([
    ['-.slice', '/'],
    ['test.slice', '/test.slice'],
    ['test-a.slice', '/test.slice/test-a.slice'],
    ['test-a-b.slice', '/test.slice/test-a.slice/test-a-b.slice'],
  ])('ExpandSlice(%s) = %s', (slice, want) => {
    const r = expandSlice(slice);
    expect(r.ok && r.value).toBe(want);
  });
  it.each(['test', 'test-.slice', '-test.slice', 'test--a.slice', 'a/b.slice'])('ExpandSlice(%s) fails', (slice) => {
    expect(expandSlice(slice).ok).toBe(false);
  });
  it('systemd slice:prefix:name becomes a scope under the expanded slice', () => {
    const r = resolveCgroupsPath('kubepods-burstable-pod1.slice:cri-containerd:abc', 'systemd', 'abc', '/');
    expect(r.ok && r.value).toBe('/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1.slice/cri-containerd-abc.scope');
  });
});

describe('runc resources → cgroup v2 files', () => {
  it('shares → cpu.weight matches the kubelet model of runc >= 1.3.2 for many values', () => {
    for (let shares = 0; shares <= 262144; shares += 977) expect(convertCpuSharesToCgroupV2Value(shares)).toBe(cpuWeightFromSharesRunc(shares));
    expect(convertCpuSharesToCgroupV2Value(1024)).toBe(100);
  });
  it('memory swap is converted to swap-only, quota -1 is "max"', () => {
    const w = cgroupWritesFor({ memory: { limit: 100, swap: 300 }, cpu: { quota: -1, period: 100000 }, pids: { limit: -1 } });
    expect(w).toEqual([
      { file: 'pids.max', value: 'max' },
      { file: 'memory.swap.max', value: '200' },
      { file: 'memory.max', value: '100' },
      { file: 'cpu.max', value: 'max 100000' },
    ]);
  });
});

describe('runc step order', () => {
  it('default config: cgroup before bootstrap, setns before unshare, mounts before pivot_root, caps before exec fifo, execve last', () => {
    const r = runRuncConfig(DEFAULT_RUNC_CONFIG, { seed: 1 });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const calls = r.value.steps.map((s) => `${s.actor}:${s.call}`);
    const idx = (pred: (s: string) => boolean) => calls.findIndex(pred);
    const cgroupJoin = r.value.steps.findIndex((s) => s.detail.includes('cgroup.procs'));
    const bootstrap = idx((c) => c.endsWith('send bootstrap data'));
    const firstSetns = idx((c) => c.endsWith(':setns'));
    const unshare = idx((c) => c.endsWith(':unshare'));
    const stage2 = r.value.steps.findIndex((s) => s.detail.includes('stage-2'));
    const pivot = idx((c) => c.endsWith(':pivot_root'));
    const firstMount = idx((c) => c === 'runc:[2:INIT]:mount');
    const prlimit = idx((c) => c.endsWith(':prlimit'));
    const capset = idx((c) => c.endsWith(':capset'));
    const fifoWait = r.value.steps.findIndex((s) => s.call === 'open' && s.detail.includes('O_WRONLY'));
    const execve = idx((c) => c.endsWith(':execve') && c.startsWith('runc:[2:INIT]'));
    expect(cgroupJoin).toBeLessThan(bootstrap);
    expect(bootstrap).toBeLessThan(firstSetns);
    expect(firstSetns).toBeLessThan(unshare);
    expect(unshare).toBeLessThan(stage2);
    expect(stage2).toBeLessThan(firstMount);
    expect(firstMount).toBeLessThan(pivot);
    expect(pivot).toBeLessThan(prlimit);
    expect(prlimit).toBeLessThan(capset);
    expect(capset).toBeLessThan(fifoWait);
    expect(fifoWait).toBeLessThan(execve);
    expect(execve).toBe(calls.length - 2);
    expect(r.value.steps.map((s) => s.seq)).toEqual(r.value.steps.map((_, i) => i + 1));
  });

  it('the resulting process: pid 1 inside, joined pod namespaces, private cgroup namespace, parent is the shim', () => {
    const r = runRuncConfig(DEFAULT_RUNC_CONFIG, { seed: 3 });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const p = r.value.process;
    expect(p.inside.pid).toBe(1);
    expect(p.host.pid).toBeGreaterThan(RUNC_WIDGET_PAUSE_PID);
    expect(p.host.parentComm).toBe('containerd-shim');
    expect(p.inside.procSelfCgroup).toBe('0::/');
    expect(p.inside.hostname).toBe('web');
    const ns = Object.fromEntries(p.host.namespaces.map((n) => [n.kind, n]));
    expect(ns.net!.origin).toBe('joined');
    expect(ns.net!.sharedWith).toContain(RUNC_WIDGET_PAUSE_PID);
    expect(ns.pid!.origin).toBe('new');
    expect(ns.user!.origin).toBe('host');
    expect(p.inside.mounts[0]).toMatchObject({ target: '/', fstype: 'overlay' });
    expect(p.inside.mounts[0]!.options).toMatch(/^workdir=.*,upperdir=.*,lowerdir=.*,index=off$/);
    expect(r.value.pause.pid).toBe(RUNC_WIDGET_PAUSE_PID);
  });

  it('user namespace: unshared alone and first, maps written by stage-0, then the rest', () => {
    const text = edit((s) => {
      s.linux.namespaces.unshift({ type: 'user' });
      s.linux.uidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
      s.linux.gidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
    });
    const r = runRuncConfig(text, { seed: 1 });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const steps = r.value.steps;
    const unshares = steps.filter((s) => s.call === 'unshare');
    expect(unshares[0]!.detail).toMatch(/^CLONE_NEWUSER/);
    expect(unshares[1]!.detail).not.toContain('CLONE_NEWUSER');
    const mapWrite = steps.findIndex((s) => s.detail.includes('uid_map'));
    expect(steps[mapWrite]!.actor).toBe('runc:[0:PARENT]');
    expect(mapWrite).toBeGreaterThan(steps.indexOf(unshares[0]!));
    expect(mapWrite).toBeLessThan(steps.indexOf(unshares[1]!));
    const lastSetns = steps.map((s) => s.call).lastIndexOf('setns');
    expect(lastSetns).toBeLessThan(steps.indexOf(unshares[0]!));
  });

  it('new network namespace instead of joining: no setns for net, CLONE_NEWNET in the flags', () => {
    const text = edit((s) => {
      s.linux.namespaces = s.linux.namespaces.map((n: any) => (n.type === 'network' ? { type: 'network' } : n));
    });
    const r = runRuncConfig(text, { seed: 1 });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.value.steps.filter((s) => s.call === 'setns').map((s) => s.detail)).not.toContainEqual(expect.stringContaining('/ns/net'));
    expect(r.value.steps.find((s) => s.call === 'unshare')!.detail).toContain('CLONE_NEWNET');
    const net = r.value.process.host.namespaces.find((n) => n.kind === 'net')!;
    expect(net.origin).toBe('new');
    expect(net.sharedWith).toEqual([]);
  });

  it('no mount namespace: chroot instead of pivot_root, cgroup files written at the ready sync', () => {
    const text = edit((s) => {
      s.linux.namespaces = s.linux.namespaces.filter((n: any) => n.type !== 'mount');
      s.mounts = [];
    });
    const r = runRuncConfig(text, { seed: 1 });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const calls = r.value.steps.map((s) => s.call);
    expect(calls).toContain('chroot');
    expect(calls).not.toContain('pivot_root');
    expect(r.value.steps.some((s) => s.source.includes('procReady: p.manager.Set'))).toBe(true);
  });

  it('the same seed gives the same transcript', () => {
    const a = runRuncConfig(DEFAULT_RUNC_CONFIG, { seed: 9 });
    const b = runRuncConfig(DEFAULT_RUNC_CONFIG, { seed: 9 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});

describe('invalid config.json → located errors', () => {
  const cases: [string, (s: any) => void, string, string][] = [
    ['unknown namespace type', (s) => (s.linux.namespaces[0].type = 'network2'), 'NAMESPACE_UNKNOWN', '"network2"'],
    ['duplicated namespace', (s) => s.linux.namespaces.push({ type: 'pid' }), 'NAMESPACE_DUPLICATE', 'LAST:"type": "pid"'],
    ['relative root path that is not the bundle rootfs', (s) => (s.root.path = 'rootfs2'), 'ROOT_NOT_FOUND', '"rootfs2"'],
    ['absolute root path that does not exist', (s) => (s.root.path = '/var/lib/nothing'), 'ROOT_NOT_FOUND', '/var/lib/nothing'],
    ['bad systemd cgroupsPath', (s) => (s.linux.cgroupsPath = '/kubepods/burstable/pod1/abc'), 'CGROUPS_PATH_INVALID', '/kubepods/burstable'],
    ['bad slice name', (s) => (s.linux.cgroupsPath = 'kubepods--x.slice:cri-containerd:abc'), 'CGROUPS_PATH_INVALID', 'kubepods--x'],
    ['missing process.args', (s) => delete s.process.args, 'FIELD_REQUIRED', '"process"'],
    ['relative cwd', (s) => (s.process.cwd = 'app'), 'FIELD_INVALID', '"app"'],
    ['invalid rlimit type', (s) => (s.process.rlimits[0].type = 'RLIMIT_FILES'), 'RLIMIT_INVALID', 'RLIMIT_FILES'],
    ['soft above hard', (s) => (s.process.rlimits[0].soft = 2000000), 'RLIMIT_INVALID', '2000000'],
    ['hostname without a uts namespace', (s) => { s.hostname = 'x'; s.linux.namespaces = s.linux.namespaces.filter((n: any) => n.type !== 'uts'); }, 'HOSTNAME_NEEDS_UTS', '"hostname"'],
    ['user namespace without mappings', (s) => s.linux.namespaces.push({ type: 'user' }), 'USERNS_MAPPINGS', '"namespaces"'],
    ['joining a namespace path that does not exist', (s) => (s.linux.namespaces[1].path = '/proc/99999/ns/ipc'), 'SETNS_FAILED', '/proc/99999/ns/ipc'],
    ['a path of the wrong kind', (s) => (s.linux.namespaces[1].path = `/proc/${RUNC_WIDGET_PAUSE_PID}/ns/net`), 'SETNS_FAILED', `"/proc/${RUNC_WIDGET_PAUSE_PID}/ns/net"`],
  ];
  it.each(cases)('%s', (_name, mutate, code, needle) => {
    const text = edit(mutate);
    const r = runRuncConfig(text, { seed: 1 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const e = r.errors.find((x) => x.code === code);
    expect(e, JSON.stringify(r.errors)).toBeDefined();
    expect(e!.line).toBe(needle.startsWith('LAST:') ? lastLineOf(text, needle.slice(5)) : lineOf(text, needle));
    expect(e!.line).toBeGreaterThan(0);
    expect(e!.path).toBeTruthy();
  });

  it('unknown capabilities are ignored with a located warning, as runc does', () => {
    const text = edit((s) => s.process.capabilities.effective.push('CAP_NET_BIND_SERVIC'));
    const r = runRuncConfig(text, { seed: 1 });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.value.warnings[0]).toMatchObject({ code: 'UNKNOWN_CAPABILITY', line: lineOf(text, '"CAP_NET_BIND_SERVIC"') });
    expect(r.value.process.inside.capabilities.effective).not.toContain('CAP_NET_BIND_SERVIC');
  });

  it('dropping capabilities shows in the process view', () => {
    const text = edit((s) => {
      s.process.capabilities = { bounding: ['CAP_NET_BIND_SERVICE'], effective: ['CAP_NET_BIND_SERVICE'], permitted: ['CAP_NET_BIND_SERVICE'] };
      s.process.user = { uid: 101, gid: 101 };
      s.process.noNewPrivileges = true;
    });
    const r = runRuncConfig(text, { seed: 1 });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.value.process.inside.capabilities.bounding).toEqual(['CAP_NET_BIND_SERVICE']);
    expect(r.value.process.inside.uid).toBe(101);
    expect(r.value.process.inside.noNewPrivs).toBe(true);
    expect(r.value.steps.find((s) => s.detail.startsWith('PR_CAPBSET_DROP'))!.detail).toContain('× 40');
  });

  it('capset follows Layer 1: an effective capability outside permitted fails runc init (EPERM), located at process.capabilities', () => {
    // Layer 1's capset (security/commoncap.c cap_capset, Linux v6.12) refuses effective ⊄ permitted;
    // runc v1.3 reports it from finalizeNamespace and create fails.
    const text = edit((s) => {
      s.process.capabilities = { bounding: ['CAP_NET_BIND_SERVICE', 'CAP_NET_RAW'], effective: ['CAP_NET_BIND_SERVICE', 'CAP_NET_RAW'], permitted: ['CAP_NET_BIND_SERVICE'] };
    });
    const r = runRuncConfig(text, { seed: 1 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]).toMatchObject({ code: 'FINALIZE_FAILED', line: lineOf(text, '"capabilities"') });
    expect(r.errors[0]!.message).toMatch(/CAP_NET_RAW.*EPERM/);
  });

  it('the Layer 1 rows: the container is pid 1 of its own pid namespace, shares net/ipc/uts with pause, sits in its scope', () => {
    const r = runRuncConfig(DEFAULT_RUNC_CONFIG, { seed: 1 });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const row = (role: string) => r.value.layer1.find((x) => x.role === role)!;
    const [shim, pause, ctr] = [row('shim'), row('pause'), row('container')];
    expect(ctr.hostPid).toBe(r.value.process.host.pid);
    expect(ctr.getpid).toBe(1);
    for (const k of ['net', 'ipc', 'uts'] as const) expect(ctr.ns[k]).toBe(pause.ns[k]);
    expect(ctr.ns.pid).not.toBe(pause.ns.pid);
    expect(ctr.ns.mnt).not.toBe(shim.ns.mnt);
    expect(`/sys/fs/cgroup${ctr.cgroup}`).toBe(r.value.cgroup.path);
    expect(shim.cgroup).toBe('/system.slice/containerd.service');
  });

  it('JSON syntax errors stop before runc runs', () => {
    const r = runRuncConfig(DEFAULT_RUNC_CONFIG.replace('"cwd": "/",', '"cwd": "/"'), { seed: 1 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ code: 'JSON_SYNTAX', line: lineOf(DEFAULT_RUNC_CONFIG, '"capabilities"') });
  });
});
