/**
 * The slice of the CRI API (k8s.io/cri-api v0.34, pkg/apis/runtime/v1/api.proto)
 * the kubelet uses to start and stop one pod. Field names are the proto's,
 * in the Go/JSON camelCase spelling.
 */

export type NamespaceMode = 'POD' | 'CONTAINER' | 'NODE';

export interface PodSandboxConfig {
  metadata: { name: string; uid: string; namespace: string; attempt: number };
  hostname: string;
  logDirectory: string;
  linux: {
    cgroupParent: string;
    securityContext: { namespaceOptions: { network: NamespaceMode; pid: NamespaceMode; ipc: NamespaceMode } };
  };
}

export interface LinuxContainerResources {
  cpuPeriod: number;
  cpuQuota: number;
  cpuShares: number;
  memoryLimitInBytes: number;
  oomScoreAdj: number;
}

export interface ContainerConfig {
  metadata: { name: string; attempt: number };
  image: { image: string };
  command: string[];
  args: string[];
  workingDir: string;
  envs: { key: string; value: string }[];
  logPath: string;
  linux: {
    resources: LinuxContainerResources;
    securityContext: { namespaceOptions: { pid: NamespaceMode }; runAsUser?: number; noNewPrivs?: boolean };
  };
}

export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';
export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';

export interface ContainerStatus {
  id: string;
  metadata: { name: string; attempt: number };
  state: ContainerState;
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  image: string;
  imageRef: string;
  reason: string;
  logPath: string;
  podSandboxId: string;
  /** From `crictl inspect` (verbose info): the host pid of the container's init, 0 when not running. */
  pid: number;
}

/** One recorded CRI call: what the kubelet asked, what came back, and what happened below. */
export interface CriCall {
  seq: number;
  method: string;
  tick: number;
  request: string;
  response: string;
  ok: boolean;
  /** What containerd / the snapshotter / the shim / runc / the kernel did, in order. */
  below: CriEffect[];
}

export interface CriEffect {
  layer: 'containerd' | 'images' | 'snapshotter' | 'cni' | 'shim' | 'runc' | 'kernel';
  text: string;
}
