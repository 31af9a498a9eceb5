/**
 * The kubelet's half of the CRI conversation, reduced to what the runtime
 * widgets need: a Pod manifest → PodSandboxConfig and ContainerConfigs.
 *  - QoS class → pod cgroup parent under the systemd driver:
 *    `/kubepods.slice/kubepods-<qos>.slice/kubepods-<qos>-pod<uid with _>.slice`
 *    (Guaranteed pods sit directly under kubepods.slice);
 *  - cpu request → cpu_shares, cpu limit → cpu_quota over a 100 ms period,
 *    memory limit → memory_limit_in_bytes;
 *  - oom_score_adj: Guaranteed −997, BestEffort 1000, Burstable
 *    1000 − 1000·memoryRequest/nodeMemory clamped to [2, 999];
 *  - shareProcessNamespace → pid namespace mode POD.
 * Upstream: kubernetes v1.34 pkg/kubelet/cm/qos_container_manager_linux.go,
 * cgroup_manager_linux.go (systemd name escaping '-' → '_'),
 * pkg/kubelet/kuberuntime/kuberuntime_sandbox.go (generatePodSandboxConfig),
 * kuberuntime_container_linux.go (generateLinuxContainerResources),
 * pkg/kubelet/qos/policy.go (GetContainerOOMScoreAdjust), pkg/apis/core/v1/helper/qos.
 */
import { fail, ok, type Result, type SimError } from '../../core/result.ts';
import { parseYaml } from '../../api/yaml.ts';
import { cpuToMilli, quantityToBytes } from '../../api/quantity.ts';
import type { Pod } from '../../api/objects.ts';
import { milliCPUToQuota, milliCPUToShares, QUOTA_PERIOD_US } from '../../node/kubelet/cm/cpu.ts';
import type { ContainerConfig, PodSandboxConfig } from '../cri/types.ts';

export const NODE_MEMORY_BYTES = 8 * 1024 ** 3;

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

export interface PodPlan {
  name: string;
  namespace: string;
  uid: string;
  qos: QosClass;
  sandbox: PodSandboxConfig;
  containers: ContainerConfig[];
  /** spec.terminationGracePeriodSeconds, defaulted to 30 by the apiserver (pkg/apis/core/v1/defaults.go). */
  terminationGracePeriodSeconds: number;
}

interface Res { cpuReq: number; cpuLim: number; memReq: number; memLim: number }

function qosOf(res: Res[]): QosClass {
  if (res.every((r) => !r.cpuReq && !r.cpuLim && !r.memReq && !r.memLim)) return 'BestEffort';
  if (res.every((r) => r.cpuLim > 0 && r.memLim > 0 && (r.cpuReq === 0 || r.cpuReq === r.cpuLim) && (r.memReq === 0 || r.memReq === r.memLim))) return 'Guaranteed';
  return 'Burstable';
}

export function cgroupParentFor(qos: QosClass, uid: string): string {
  const escaped = uid.replaceAll('-', '_');
  if (qos === 'Guaranteed') return `/kubepods.slice/kubepods-pod${escaped}.slice`;
  const q = qos.toLowerCase();
  return `/kubepods.slice/kubepods-${q}.slice/kubepods-${q}-pod${escaped}.slice`;
}

export function planPod(text: string, uid: string): Result<PodPlan> {
  const parsed = parseYaml(text);
  if (!parsed.ok) return parsed;
  const y = parsed.value;
  const pod = y.docs[0] as Pod | undefined;
  const errors: SimError[] = [];
  if (!pod || typeof pod !== 'object') return fail(y.errorAt('', 'FIELD_REQUIRED', 'expected a Pod manifest'));
  if (pod.kind !== 'Pod') errors.push(y.errorAt('kind', 'FIELD_INVALID', `kind must be Pod, got ${JSON.stringify(pod.kind)}`));
  const name = pod.metadata?.name;
  if (!name) errors.push(y.errorAt('metadata', 'FIELD_REQUIRED', 'metadata.name is required'));
  const containers = pod.spec?.containers ?? [];
  if (!containers.length) errors.push(y.errorAt('spec', 'FIELD_REQUIRED', 'spec.containers must list at least one container'));
  if (containers.length > 6) errors.push(y.errorAt('spec.containers', 'LIMIT_EXCEEDED', 'this widget runs at most 6 containers'));
  const res: Res[] = [];
  containers.forEach((c, i) => {
    if (!c.name) errors.push(y.errorAt(`spec.containers[${i}]`, 'FIELD_REQUIRED', 'container name is required'));
    if (!c.image) errors.push(y.errorAt(`spec.containers[${i}]`, 'FIELD_REQUIRED', `spec.containers[${i}].image is required`));
    const r: Res = { cpuReq: 0, cpuLim: 0, memReq: 0, memLim: 0 };
    const conv = (path: string, v: unknown, f: (q: string) => number) => {
      if (v === undefined) return 0;
      try {
        return f(String(v));
      } catch (e) {
        errors.push(y.errorAt(path, 'QUANTITY_INVALID', (e as Error).message));
        return 0;
      }
    };
    const base = `spec.containers[${i}].resources`;
    r.cpuReq = conv(`${base}.requests.cpu`, c.resources?.requests?.cpu, cpuToMilli);
    r.cpuLim = conv(`${base}.limits.cpu`, c.resources?.limits?.cpu, cpuToMilli);
    r.memReq = conv(`${base}.requests.memory`, c.resources?.requests?.memory, quantityToBytes);
    r.memLim = conv(`${base}.limits.memory`, c.resources?.limits?.memory, quantityToBytes);
    // A limit without a request defaults the request (apiserver defaulting).
    if (!r.cpuReq && r.cpuLim) r.cpuReq = r.cpuLim;
    if (!r.memReq && r.memLim) r.memReq = r.memLim;
    res.push(r);
  });
  const grace = (pod.spec as { terminationGracePeriodSeconds?: unknown } | undefined)?.terminationGracePeriodSeconds;
  if (grace !== undefined && !(typeof grace === 'number' && Number.isInteger(grace) && grace >= 0 && grace <= 86400)) {
    errors.push(y.errorAt('spec.terminationGracePeriodSeconds', 'FIELD_INVALID', 'terminationGracePeriodSeconds must be an integer number of seconds, 0–86400'));
  }
  if (errors.length) return fail(errors);
  const namespace = pod.metadata?.namespace ?? 'default';
  const qos = qosOf(res);
  const shareProcessNamespace = (pod.spec as { shareProcessNamespace?: boolean } | undefined)?.shareProcessNamespace === true;
  const pidMode = shareProcessNamespace ? 'POD' : 'CONTAINER';
  const sandbox: PodSandboxConfig = {
    metadata: { name: name!, uid, namespace, attempt: 0 },
    hostname: name!,
    logDirectory: `/var/log/pods/${namespace}_${name}_${uid}`,
    linux: { cgroupParent: cgroupParentFor(qos, uid), securityContext: { namespaceOptions: { network: pod.spec?.hostNetwork ? 'NODE' : 'POD', pid: pidMode, ipc: 'POD' } } },
  };
  const configs: ContainerConfig[] = containers.map((c, i) => {
    const r = res[i]!;
    const oom = qos === 'Guaranteed' ? -997 : qos === 'BestEffort' ? 1000 : Math.min(999, Math.max(2, 1000 - Math.trunc((1000 * r.memReq) / NODE_MEMORY_BYTES)));
    return {
      metadata: { name: c.name!, attempt: 0 },
      image: { image: c.image! },
      command: c.command ?? [],
      args: c.args ?? [],
      workingDir: '',
      envs: (c.env ?? []).map((e) => ({ key: e.name ?? '', value: e.value ?? '' })),
      logPath: `${c.name}/0.log`,
      linux: {
        resources: { cpuPeriod: r.cpuLim ? QUOTA_PERIOD_US : 0, cpuQuota: r.cpuLim ? milliCPUToQuota(r.cpuLim, QUOTA_PERIOD_US) : 0, cpuShares: milliCPUToShares(r.cpuReq), memoryLimitInBytes: r.memLim, oomScoreAdj: oom },
        securityContext: { namespaceOptions: { pid: pidMode } },
      },
    };
  });
  return ok({ name: name!, namespace, uid, qos, sandbox, containers: configs, terminationGracePeriodSeconds: typeof grace === 'number' ? grace : 30 });
}
