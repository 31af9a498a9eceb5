/**
 * Where runc puts a container's cgroup, from `linux.cgroupsPath`.
 *
 * With the systemd driver (`runc --systemd-cgroup`, containerd's
 * `SystemdCgroup = true`, the kubeadm default since v1.22) the path is
 * `slice:prefix:name`, e.g. `kubepods-burstable-pod<uid>.slice:cri-containerd:<id>`,
 * and the cgroup is the scope unit `<prefix>-<name>.scope` inside the slice,
 * whose dashes expand into nested slices.
 * With the cgroupfs driver an absolute path is taken under /sys/fs/cgroup and
 * a relative one is placed next to runc's own cgroup.
 * Upstream: opencontainers/cgroups v0.0.4 `systemd/common.go` (ExpandSlice,
 * getUnitName), `fs2/defaultpath.go`; runc v1.3 libcontainer/specconv/spec_linux.go
 * (CreateCgroupConfig: "expected cgroupsPath to be of format \"slice:prefix:name\"").
 */
import { fail, ok, simError, type Result } from '../../core/result.ts';

export type CgroupDriver = 'systemd' | 'cgroupfs';

/** `kubepods-burstable-pod1.slice` → `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1.slice`. */
export function expandSlice(slice: string): Result<string> {
  const suffix = '.slice';
  if (slice.length < suffix.length || !slice.endsWith(suffix) || slice.includes('/')) {
    return fail(simError('CGROUPS_PATH_INVALID', `invalid slice name: ${slice}`));
  }
  const name = slice.slice(0, -suffix.length);
  if (name === '-') return ok('/');
  let path = '';
  let prefix = '';
  for (const component of name.split('-')) {
    if (component === '') return fail(simError('CGROUPS_PATH_INVALID', `invalid slice name: ${slice}`));
    path += `/${prefix}${component}${suffix}`;
    prefix += `${component}-`;
  }
  return ok(path);
}

/** Lexical clean of an absolute path (Go's filepath.Clean after joining to "/"). */
export function cleanPath(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

/**
 * The cgroup v2 directory (relative to /sys/fs/cgroup) for a container.
 * `ownCgroup` is runc's own cgroup, used for relative cgroupfs paths and as
 * the default when the path is empty.
 */
export function resolveCgroupsPath(cgroupsPath: string | undefined, driver: CgroupDriver, containerId: string, ownCgroup: string): Result<string> {
  if (driver === 'systemd') {
    const spec = cgroupsPath ?? '';
    if (spec === '') return ok(`/system.slice/runc-${containerId}.scope`);
    const parts = spec.split(':');
    if (parts.length !== 3) {
      return fail(simError('CGROUPS_PATH_INVALID', `expected cgroupsPath to be of format "slice:prefix:name" for systemd cgroups, got "${spec}" instead`));
    }
    const [slice, prefix, name] = parts as [string, string, string];
    const parent = expandSlice(slice === '' ? 'system.slice' : slice);
    if (!parent.ok) return parent;
    if (name === '') return fail(simError('CGROUPS_PATH_INVALID', 'cgroupsPath: the unit name (third part) must not be empty'));
    const unit = name.endsWith('.slice') ? name : `${prefix === '' ? '' : prefix + '-'}${name}.scope`;
    return ok(`${parent.value === '/' ? '' : parent.value}/${unit}`);
  }
  const p = cgroupsPath ?? '';
  if (p.includes(':')) {
    return fail(simError('CGROUPS_PATH_INVALID', `"${p}" looks like a systemd "slice:prefix:name" path, but runc is using the cgroupfs driver`));
  }
  if (p === '') return ok(cleanPath(`${ownCgroup}/${containerId}`));
  if (p.startsWith('/')) return ok(cleanPath(p));
  const ownParent = ownCgroup.split('/').slice(0, -1).join('/');
  return ok(cleanPath(`${ownParent}/${p}`));
}
