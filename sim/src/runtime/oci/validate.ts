/**
 * Checks a parsed `config.json` the way runc does before it creates anything,
 * and turns every problem into a located error (field path + line/column).
 *
 * Errors stop `runc create`; warnings are what runc logs and carries on with.
 * Sources of each rule (runc v1.3):
 *  - `validateProcessSpec` (utils_linux.go): process present, cwd non-empty and
 *    absolute, args non-empty;
 *  - specconv/spec_linux.go: unknown namespace type ("namespace %q does not
 *    exist"), duplicated namespace, unknown rlimit ("wrong rlimit value"),
 *    systemd cgroupsPath format;
 *  - configs/validate/validator.go: rootfs must exist, hostname needs a private
 *    UTS namespace, a user namespace needs mappings or a path, mappings need a
 *    user namespace;
 *  - capabilities/capabilities.go: unknown capabilities are *ignored with a
 *    warning* ("ignoring unknown or unavailable capabilities"), as
 *    runtime-spec config.md asks ("Runtimes SHOULD NOT fail ...");
 *  - relative mount destinations: warned and made absolute.
 * `root.path` may be relative: runtime-spec config.md resolves it against the
 * bundle (containerd writes `"path": "rootfs"`); it must then name an existing
 * directory, which is checked with `ctx.rootExists`.
 */
import type { SimError } from '../../core/result.ts';
import { simError } from '../../core/result.ts';
import type { LocatedJson } from './json-located.ts';
import { CAPABILITIES, RLIMIT_TYPES } from './capabilities.ts';
import { SPEC_NAMESPACE_TYPES, type RuntimeSpec, type SpecNamespaceType } from './spec.ts';
import { cleanPath, resolveCgroupsPath, type CgroupDriver } from '../runc/cgroups-path.ts';

export interface ValidateContext {
  /** The bundle directory (`runc create --bundle`), to resolve a relative root.path. */
  bundle: string;
  rootExists(absPath: string): boolean;
  cgroupDriver: CgroupDriver;
}

export interface ValidatedSpec {
  spec: RuntimeSpec;
  /** Absolute path of the root filesystem. */
  rootPath: string;
  errors: SimError[];
  warnings: SimError[];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

export function validateSpec(doc: LocatedJson, ctx: ValidateContext): ValidatedSpec {
  const errors: SimError[] = [];
  const warnings: SimError[] = [];
  const err = (path: string, code: string, msg: string) => errors.push(doc.errorAt(path, code, msg));
  const warn = (path: string, code: string, msg: string) => warnings.push(doc.errorAt(path, code, msg));
  const root = doc.value;
  if (!isObj(root)) {
    return { spec: { ociVersion: '' }, rootPath: '', errors: [simError('FIELD_INVALID', 'config.json must be a JSON object', doc.locate(''))], warnings };
  }
  const spec = root as unknown as RuntimeSpec;

  if (typeof root.ociVersion !== 'string') err('ociVersion', 'FIELD_REQUIRED', 'ociVersion (string) is required');

  // --- root ---
  let rootPath = '';
  const r = root.root;
  if (!isObj(r) || typeof r.path !== 'string' || r.path === '') {
    err('root.path', 'FIELD_REQUIRED', 'root.path is required: the container\'s root filesystem');
  } else {
    rootPath = r.path.startsWith('/') ? cleanPath(r.path) : cleanPath(`${ctx.bundle}/${r.path}`);
    if (!ctx.rootExists(rootPath)) {
      const rel = r.path.startsWith('/') ? '' : ` (relative paths are resolved against the bundle ${ctx.bundle})`;
      err('root.path', 'ROOT_NOT_FOUND', `invalid rootfs: stat ${rootPath}: no such file or directory${rel}`);
    }
  }

  // --- process ---
  const p = root.process;
  if (!isObj(p)) {
    err('process', 'FIELD_REQUIRED', 'process property must not be empty');
  } else {
    if (!isStrArray(p.args)) {
      if (p.args !== undefined) err('process.args', 'FIELD_INVALID', 'process.args must be an array of strings');
      else err('process', 'FIELD_REQUIRED', 'args must not be empty (process.args is missing)');
    } else if (p.args.length === 0) err('process.args', 'FIELD_REQUIRED', 'args must not be empty');
    if (typeof p.cwd !== 'string' || p.cwd === '') err(p.cwd === undefined ? 'process' : 'process.cwd', 'FIELD_REQUIRED', 'Cwd property must not be empty');
    else if (!p.cwd.startsWith('/')) err('process.cwd', 'FIELD_INVALID', 'Cwd must be an absolute path');
    if (!isObj(p.user) || typeof p.user.uid !== 'number' || typeof p.user.gid !== 'number') {
      err(isObj(p.user) ? 'process.user' : 'process', 'FIELD_REQUIRED', 'process.user needs numeric uid and gid');
    }
    if (p.env !== undefined && !isStrArray(p.env)) err('process.env', 'FIELD_INVALID', 'process.env must be an array of "KEY=value" strings');
    if (isObj(p.capabilities)) {
      for (const set of ['bounding', 'effective', 'permitted', 'inheritable', 'ambient'] as const) {
        const list = p.capabilities[set];
        if (list === undefined) continue;
        if (!isStrArray(list)) {
          err(`process.capabilities.${set}`, 'FIELD_INVALID', `process.capabilities.${set} must be an array of capability names`);
          continue;
        }
        list.forEach((name, idx) => {
          if (!CAPABILITIES.includes(name)) {
            warn(`process.capabilities.${set}[${idx}]`, 'UNKNOWN_CAPABILITY', `ignoring unknown or unavailable capability ${JSON.stringify(name)} (known: CAP_CHOWN … CAP_CHECKPOINT_RESTORE)`);
          }
        });
      }
    }
    if (p.rlimits !== undefined) {
      if (!Array.isArray(p.rlimits)) err('process.rlimits', 'FIELD_INVALID', 'process.rlimits must be an array');
      else
        p.rlimits.forEach((rl: unknown, idx: number) => {
          const at = `process.rlimits[${idx}]`;
          if (!isObj(rl)) return err(at, 'FIELD_INVALID', 'an rlimit is an object {type, soft, hard}');
          if (typeof rl.type !== 'string' || !RLIMIT_TYPES.includes(rl.type)) {
            return err(`${at}.type`, 'RLIMIT_INVALID', `wrong rlimit value: ${String(rl.type)} (expected one of RLIMIT_NOFILE, RLIMIT_NPROC, RLIMIT_CORE, …)`);
          }
          if (typeof rl.soft !== 'number' || typeof rl.hard !== 'number') return err(at, 'RLIMIT_INVALID', 'rlimit soft and hard must be numbers');
          if (rl.soft > rl.hard) err(`${at}.soft`, 'RLIMIT_INVALID', `setrlimit ${rl.type}: soft limit ${rl.soft} exceeds hard limit ${rl.hard} (EINVAL)`);
        });
    }
  }

  // --- linux ---
  const linux = isObj(root.linux) ? root.linux : undefined;
  if (root.linux !== undefined && !linux) err('linux', 'FIELD_INVALID', 'linux must be an object');
  const present = new Map<SpecNamespaceType, { path?: string }>();
  if (linux?.namespaces !== undefined) {
    if (!Array.isArray(linux.namespaces)) err('linux.namespaces', 'FIELD_INVALID', 'linux.namespaces must be an array');
    else
      linux.namespaces.forEach((ns: unknown, idx: number) => {
        const at = `linux.namespaces[${idx}]`;
        if (!isObj(ns)) return err(at, 'FIELD_INVALID', 'a namespace is an object {type, path?}');
        const t = ns.type;
        if (typeof t !== 'string' || !SPEC_NAMESPACE_TYPES.includes(t as SpecNamespaceType)) {
          return err(`${at}.type`, 'NAMESPACE_UNKNOWN', `namespace ${JSON.stringify(t)} does not exist (valid: ${SPEC_NAMESPACE_TYPES.join(', ')})`);
        }
        if (present.has(t as SpecNamespaceType)) return err(`${at}.type`, 'NAMESPACE_DUPLICATE', `malformed spec file: duplicated ns ${JSON.stringify(t)}`);
        if (ns.path !== undefined && (typeof ns.path !== 'string' || !ns.path.startsWith('/'))) {
          return err(`${at}.path`, 'FIELD_INVALID', 'a namespace path must be an absolute path such as /proc/<pid>/ns/net or /var/run/netns/<name>');
        }
        present.set(t as SpecNamespaceType, { path: ns.path as string | undefined });
      });
  }
  // validator.go only asks for a UTS entry; with a path, sethostname changes the joined (shared) namespace.
  if (typeof root.hostname === 'string' && root.hostname !== '' && !present.has('uts')) {
    err('hostname', 'HOSTNAME_NEEDS_UTS', 'unable to set hostname without a private UTS namespace (add {"type": "uts"} to linux.namespaces)');
  }
  const user = present.get('user');
  const hasMaps = Array.isArray(linux?.uidMappings) && (linux!.uidMappings as unknown[]).length > 0;
  if (user && !user.path && !hasMaps) {
    err('linux.namespaces', 'USERNS_MAPPINGS', 'user namespaces enabled, but no namespace path to join nor mappings to apply specified (add linux.uidMappings and linux.gidMappings)');
  }
  if (!user && (linux?.uidMappings !== undefined || linux?.gidMappings !== undefined)) {
    err(linux?.uidMappings !== undefined ? 'linux.uidMappings' : 'linux.gidMappings', 'USERNS_MAPPINGS', "user namespace mappings specified, but user namespace isn't enabled in the config");
  }
  if (linux?.cgroupsPath !== undefined) {
    if (typeof linux.cgroupsPath !== 'string') err('linux.cgroupsPath', 'FIELD_INVALID', 'linux.cgroupsPath must be a string');
    else {
      const resolved = resolveCgroupsPath(linux.cgroupsPath, ctx.cgroupDriver, 'x', '/system.slice/containerd.service');
      if (!resolved.ok) for (const e of resolved.errors) err('linux.cgroupsPath', e.code, e.message);
    }
  }
  const res = isObj(linux?.resources) ? linux.resources : undefined;
  const mem = isObj(res?.memory) ? res.memory : undefined;
  if (mem && mem.limit !== undefined && (typeof mem.limit !== 'number' || (mem.limit < 0 && mem.limit !== -1))) {
    err('linux.resources.memory.limit', 'FIELD_INVALID', 'memory.limit is a number of bytes (or -1 for unlimited)');
  }
  if (mem && typeof mem.swap === 'number' && mem.swap > 0 && typeof mem.limit === 'number' && mem.limit > 0 && mem.swap < mem.limit) {
    err('linux.resources.memory.swap', 'FIELD_INVALID', 'memory+swap limit should be >= memory limit (swap in the spec counts memory+swap, as cgroup v1 did)');
  }
  const cpu = isObj(res?.cpu) ? res.cpu : undefined;
  if (cpu && cpu.shares !== undefined && (typeof cpu.shares !== 'number' || cpu.shares < 0)) err('linux.resources.cpu.shares', 'FIELD_INVALID', 'cpu.shares must be a non-negative number');

  // --- mounts ---
  if (root.mounts !== undefined) {
    if (!Array.isArray(root.mounts)) err('mounts', 'FIELD_INVALID', 'mounts must be an array');
    else
      root.mounts.forEach((m: unknown, idx: number) => {
        const at = `mounts[${idx}]`;
        if (!isObj(m) || typeof m.destination !== 'string') return err(at, 'FIELD_REQUIRED', 'a mount needs a destination');
        if (!m.destination.startsWith('/')) warn(`${at}.destination`, 'MOUNT_RELATIVE', `mount destination ${m.destination} is not absolute; runc treats it as /${m.destination}`);
        if (m.options !== undefined && !isStrArray(m.options)) err(`${at}.options`, 'FIELD_INVALID', 'mount options must be an array of strings');
      });
  }
  return { spec, rootPath, errors, warnings };
}
