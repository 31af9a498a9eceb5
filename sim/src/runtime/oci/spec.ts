/**
 * The OCI runtime spec's `config.json`, the part runc reads on Linux.
 * Field names and JSON keys are exactly the spec's.
 * Upstream: opencontainers/runtime-spec v1.2.1 `config.md`, `config-linux.md`,
 * `specs-go/config.go`.
 */
import type { NsKind } from '../kernel-port.ts';

export interface SpecUser {
  uid: number;
  gid: number;
  umask?: number;
  additionalGids?: number[];
}

export interface SpecCapabilities {
  bounding?: string[];
  effective?: string[];
  permitted?: string[];
  inheritable?: string[];
  ambient?: string[];
}

export interface SpecRlimit {
  type: string;
  hard: number;
  soft: number;
}

export interface SpecProcess {
  terminal?: boolean;
  user: SpecUser;
  args: string[];
  env?: string[];
  cwd: string;
  capabilities?: SpecCapabilities;
  rlimits?: SpecRlimit[];
  noNewPrivileges?: boolean;
  oomScoreAdj?: number;
  apparmorProfile?: string;
}

export interface SpecMount {
  destination: string;
  type?: string;
  source?: string;
  options?: string[];
}

/** `linux.namespaces[].type` values (config-linux.md#namespaces). */
export type SpecNamespaceType = 'pid' | 'network' | 'mount' | 'ipc' | 'uts' | 'user' | 'cgroup' | 'time';

export const SPEC_NAMESPACE_TYPES: readonly SpecNamespaceType[] = ['pid', 'network', 'mount', 'ipc', 'uts', 'user', 'cgroup', 'time'];

/** Spec type → `/proc/<pid>/ns/` name. */
export const NS_KIND_OF: Record<SpecNamespaceType, NsKind> = {
  pid: 'pid', network: 'net', mount: 'mnt', ipc: 'ipc', uts: 'uts', user: 'user', cgroup: 'cgroup', time: 'time',
};

export interface SpecNamespace {
  type: SpecNamespaceType;
  path?: string;
}

export interface SpecIdMapping {
  containerID: number;
  hostID: number;
  size: number;
}

export interface SpecResources {
  memory?: { limit?: number; reservation?: number; swap?: number };
  cpu?: { shares?: number; quota?: number; period?: number; cpus?: string };
  pids?: { limit?: number };
}

export interface SpecSeccomp {
  defaultAction: string;
  architectures?: string[];
  syscalls?: { names: string[]; action: string }[];
}

export interface SpecLinux {
  namespaces?: SpecNamespace[];
  uidMappings?: SpecIdMapping[];
  gidMappings?: SpecIdMapping[];
  cgroupsPath?: string;
  resources?: SpecResources;
  seccomp?: SpecSeccomp;
  sysctl?: Record<string, string>;
  maskedPaths?: string[];
  readonlyPaths?: string[];
  rootfsPropagation?: string;
}

export interface RuntimeSpec {
  ociVersion: string;
  process?: SpecProcess;
  root?: { path: string; readonly?: boolean };
  hostname?: string;
  mounts?: SpecMount[];
  linux?: SpecLinux;
  annotations?: Record<string, string>;
}
