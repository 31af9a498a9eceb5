/**
 * runc creates the cgroup namespace last, from stage-2, after runc create has
 * put stage-0 in the container's cgroup: opencontainers/runc v1.3
 * libcontainer/nsenter/nsexec.c — stage-1 calls
 * try_unshare(config.cloneflags & ~CLONE_NEWCGROUP, "remaining namespaces (except cgroupns)")
 * and STAGE_INIT waits for CREATECGROUPNS before unshare(CLONE_NEWCGROUP).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RUNC_CONFIG, runRuncConfig } from '../../src/runtime/widgets/runc-config.ts';

describe('runc: cgroup namespace is unshared by stage-2 after the cgroup join', () => {
  it('the default config.json', () => {
    const r = runRuncConfig(DEFAULT_RUNC_CONFIG, { seed: 1 });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const steps = r.value.steps;
    const stage1Unshare = steps.find((s) => s.actor === 'runc:[1:CHILD]' && s.call === 'unshare')!;
    expect(stage1Unshare.detail).not.toContain('CLONE_NEWCGROUP');
    const join = steps.findIndex((s) => s.call === 'write' && s.detail.includes('/cgroup.procs'));
    const cgns = steps.findIndex((s) => s.actor === 'runc:[2:INIT]' && s.call === 'unshare' && s.detail.startsWith('CLONE_NEWCGROUP'));
    expect(join).toBeGreaterThanOrEqual(0);
    expect(cgns).toBeGreaterThan(join);
    expect(r.value.process.inside.procSelfCgroup).toBe('0::/');
    expect(r.value.process.host.namespaces.find((n) => n.kind === 'cgroup')!.origin).toBe('new');
  });

  it('without {"type": "cgroup"} there is no cgroup unshare and /proc/self/cgroup shows the host path', () => {
    const text = DEFAULT_RUNC_CONFIG.replace(/,\s*\{ "type": "cgroup" \}/, '');
    expect(text).not.toBe(DEFAULT_RUNC_CONFIG);
    const r = runRuncConfig(text, { seed: 1 });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.value.steps.some((s) => s.detail.includes('CLONE_NEWCGROUP'))).toBe(false);
    expect(r.value.process.inside.procSelfCgroup).toBe(`0::${r.value.cgroup.path.replace('/sys/fs/cgroup', '')}`);
  });
});
