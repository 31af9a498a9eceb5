/**
 * Pod Security admission (staging/src/k8s.io/pod-security-admission,
 * v1.34): the namespace labels `pod-security.kubernetes.io/enforce` and
 * `.../warn` pick a level (privileged, baseline, restricted); each check in
 * policy/check_*.go reports a forbidden reason and detail; violations of the
 * enforce level reject a pod with 403 `violates PodSecurity
 * "restricted:latest": allowPrivilegeEscalation != false (...), ...`.
 * Workload templates (Deployments, ...) only get warnings, as upstream.
 * Checks are reported in check-ID order; at restricted, the restricted
 * capabilities/seccomp/volume checks replace their baseline versions.
 */
import { isObject, type KObject } from '../object.ts';
import { admissionForbidden, type ValidatingPlugin } from './interfaces.ts';

type Rec = Record<string, unknown>;
export type Level = 'privileged' | 'baseline' | 'restricted';

interface CheckResult { reason: string; detail: string }
interface Check { id: string; level: 'baseline' | 'restricted'; overrides?: string[]; run(meta: Rec, spec: Rec): CheckResult | undefined }

const pluralize = (one: string, many: string, n: number) => (n === 1 ? one : many);
const joinQuote = (xs: string[]) => xs.map((x) => JSON.stringify(x)).join(', ');

function containers(spec: Rec): Rec[] {
  const list = (k: string) => ((Array.isArray(spec[k]) ? spec[k] : []) as unknown[]).filter(isObject) as Rec[];
  return [...list('initContainers'), ...list('containers'), ...list('ephemeralContainers')];
}
const sc = (c: Rec): Rec => (isObject(c.securityContext) ? c.securityContext : {});
const podSc = (spec: Rec): Rec => (isObject(spec.securityContext) ? spec.securityContext : {});

const BASELINE_CAPS = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'];
const RESTRICTED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret', 'image'];

const capsAdd = (c: Rec): string[] => (((sc(c).capabilities as Rec | undefined)?.add ?? []) as string[]);

function badCaps(spec: Rec, allowed: string[]): { names: string[]; caps: string[] } {
  const names: string[] = [];
  const caps = new Set<string>();
  for (const c of containers(spec)) {
    const bad = capsAdd(c).filter((x) => !allowed.includes(x));
    if (bad.length) { names.push(String(c.name)); bad.forEach((b) => caps.add(b)); }
  }
  return { names, caps: [...caps].sort() };
}

const CHECKS: Check[] = [
  {
    id: 'allowPrivilegeEscalation', level: 'restricted',
    run(_m, spec) {
      const bad = containers(spec).filter((c) => sc(c).allowPrivilegeEscalation !== false).map((c) => String(c.name));
      return bad.length ? { reason: 'allowPrivilegeEscalation != false', detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must set securityContext.allowPrivilegeEscalation=false` } : undefined;
    },
  },
  {
    id: 'capabilities_baseline', level: 'baseline',
    run(_m, spec) {
      const { names, caps } = badCaps(spec, BASELINE_CAPS);
      return names.length ? { reason: 'non-default capabilities', detail: `${pluralize('container', 'containers', names.length)} ${joinQuote(names)} must not include ${joinQuote(caps)} in securityContext.capabilities.add` } : undefined;
    },
  },
  {
    id: 'capabilities_restricted', level: 'restricted', overrides: ['capabilities_baseline'],
    run(_m, spec) {
      const noDrop = containers(spec).filter((c) => !(((sc(c).capabilities as Rec | undefined)?.drop ?? []) as string[]).includes('ALL')).map((c) => String(c.name));
      const { names, caps } = badCaps(spec, ['NET_BIND_SERVICE']);
      const details: string[] = [];
      if (noDrop.length) details.push(`${pluralize('container', 'containers', noDrop.length)} ${joinQuote(noDrop)} must set securityContext.capabilities.drop=["ALL"]`);
      if (names.length) details.push(`${pluralize('container', 'containers', names.length)} ${joinQuote(names)} must not include ${joinQuote(caps)} in securityContext.capabilities.add`);
      return details.length ? { reason: 'unrestricted capabilities', detail: details.join('; ') } : undefined;
    },
  },
  {
    id: 'hostNamespaces', level: 'baseline',
    run(_m, spec) {
      const ns = (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((k) => spec[k] === true).map((k) => `${k}=true`);
      return ns.length ? { reason: 'host namespaces', detail: ns.join(', ') } : undefined;
    },
  },
  {
    id: 'hostPathVolumes', level: 'baseline',
    run(_m, spec) {
      const vols = ((Array.isArray(spec.volumes) ? spec.volumes : []) as Rec[]).filter((v) => v.hostPath !== undefined).map((v) => String(v.name));
      return vols.length ? { reason: 'hostPath volumes', detail: `${pluralize('volume', 'volumes', vols.length)} ${joinQuote(vols)}` } : undefined;
    },
  },
  {
    id: 'hostPorts', level: 'baseline',
    run(_m, spec) {
      const names: string[] = [];
      const ports: number[] = [];
      for (const c of containers(spec)) {
        const hp = ((Array.isArray(c.ports) ? c.ports : []) as Rec[]).map((p) => Number(p.hostPort ?? 0)).filter((p) => p !== 0);
        if (hp.length) { names.push(String(c.name)); ports.push(...hp); }
      }
      return names.length ? { reason: 'hostPort', detail: `${pluralize('container', 'containers', names.length)} ${joinQuote(names)} ${pluralize('uses', 'use', names.length)} ${pluralize('hostPort', 'hostPorts', ports.length)} ${ports.join(', ')}` } : undefined;
    },
  },
  {
    id: 'privileged', level: 'baseline',
    run(_m, spec) {
      const bad = containers(spec).filter((c) => sc(c).privileged === true).map((c) => String(c.name));
      return bad.length ? { reason: 'privileged', detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must not set securityContext.privileged=true` } : undefined;
    },
  },
  {
    id: 'restrictedVolumes', level: 'restricted', overrides: ['hostPathVolumes'],
    run(_m, spec) {
      const bad: string[] = [];
      const types = new Set<string>();
      for (const v of (Array.isArray(spec.volumes) ? spec.volumes : []) as Rec[]) {
        const t = Object.keys(v).find((k) => k !== 'name');
        if (t && !RESTRICTED_VOLUMES.includes(t)) { bad.push(String(v.name)); types.add(t); }
      }
      return bad.length ? { reason: 'restricted volume types', detail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} restricted volume ${pluralize('type', 'types', types.size)} ${joinQuote([...types])}` } : undefined;
    },
  },
  {
    id: 'runAsNonRoot', level: 'restricted',
    run(_m, spec) {
      const pod = podSc(spec).runAsNonRoot;
      if (pod === false) return { reason: 'runAsNonRoot != true', detail: 'pod must not set securityContext.runAsNonRoot=false' };
      const explicitFalse = containers(spec).filter((c) => sc(c).runAsNonRoot === false).map((c) => String(c.name));
      const unset = pod === true ? [] : containers(spec).filter((c) => sc(c).runAsNonRoot === undefined).map((c) => String(c.name));
      const details: string[] = [];
      if (explicitFalse.length) details.push(`${pluralize('container', 'containers', explicitFalse.length)} ${joinQuote(explicitFalse)} must not set securityContext.runAsNonRoot=false`);
      if (unset.length) details.push(`pod or ${pluralize('container', 'containers', unset.length)} ${joinQuote(unset)} must set securityContext.runAsNonRoot=true`);
      return details.length ? { reason: 'runAsNonRoot != true', detail: details.join('; ') } : undefined;
    },
  },
  {
    id: 'runAsUser', level: 'restricted',
    run(_m, spec) {
      if (podSc(spec).runAsUser === 0) return { reason: 'runAsUser=0', detail: 'pod must not set runAsUser=0' };
      const bad = containers(spec).filter((c) => sc(c).runAsUser === 0).map((c) => String(c.name));
      return bad.length ? { reason: 'runAsUser=0', detail: `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must not set runAsUser=0` } : undefined;
    },
  },
  {
    id: 'seccompProfile_restricted', level: 'restricted',
    run(_m, spec) {
      const ok = (t: unknown) => t === 'RuntimeDefault' || t === 'Localhost';
      const podType = (podSc(spec).seccompProfile as Rec | undefined)?.type;
      if (podType !== undefined && !ok(podType)) return { reason: 'seccompProfile', detail: `pod must not set securityContext.seccompProfile.type to ${JSON.stringify(podType)}` };
      const unset = containers(spec).filter((c) => {
        const t = (sc(c).seccompProfile as Rec | undefined)?.type;
        return t === undefined ? podType === undefined : !ok(t);
      }).map((c) => String(c.name));
      return unset.length ? { reason: 'seccompProfile', detail: `pod or ${pluralize('container', 'containers', unset.length)} ${joinQuote(unset)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"` } : undefined;
    },
  },
];

/** The violations of a pod spec at `level`, in check order ("reason (detail)"). */
export function evaluatePodSecurity(level: Level, meta: Rec, spec: Rec): string[] {
  if (level === 'privileged') return [];
  const active = CHECKS.filter((c) => c.level === 'baseline' || level === 'restricted');
  const overridden = new Set(active.flatMap((c) => c.overrides ?? []));
  return active
    .filter((c) => !overridden.has(c.id))
    .map((c) => c.run(meta, spec))
    .filter((r): r is CheckResult => !!r)
    .map((r) => (r.detail ? `${r.reason} (${r.detail})` : r.reason));
}

const LEVELS: Level[] = ['privileged', 'baseline', 'restricted'];
const labelLevel = (ns: KObject | undefined, mode: string): Level | undefined => {
  const v = ns?.metadata?.labels?.[`pod-security.kubernetes.io/${mode}`];
  return LEVELS.includes(v as Level) ? (v as Level) : undefined;
};

/** The pod spec inside a Pod, or inside a workload's template. */
function podSpecOf(obj: KObject): { meta: Rec; spec: Rec; isPod: boolean } | undefined {
  if (obj.kind === 'Pod') return { meta: (obj.metadata ?? {}) as Rec, spec: (isObject(obj.spec) ? obj.spec : {}), isPod: true };
  const template = (obj.spec as Rec | undefined)?.template;
  if (isObject(template) && isObject(template.spec)) return { meta: (template.metadata ?? {}) as Rec, spec: template.spec, isPod: false };
  return undefined;
}

export const PodSecurity: ValidatingPlugin = {
  name: 'PodSecurity',
  handles: (a) => a.operation !== 'DELETE' && a.subresource === '' && ['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job'].includes(a.info.kind),
  validate(a, ctx) {
    const target = podSpecOf(a.object);
    if (!target) return { allowed: true };
    const ns = ctx.get('namespaces', '', a.namespace);
    const enforce = labelLevel(ns, 'enforce') ?? 'privileged';
    const version = ns?.metadata?.labels?.['pod-security.kubernetes.io/enforce-version'] ?? 'latest';
    const violations = evaluatePodSecurity(enforce, target.meta, target.spec);
    const warnings: string[] = [];
    if (violations.length && target.isPod) {
      return admissionForbidden(a, `violates PodSecurity "${enforce}:${version}": ${violations.join(', ')}`);
    }
    if (violations.length) warnings.push(`would violate PodSecurity "${enforce}:${version}": ${violations.join(', ')}`);
    const warn = labelLevel(ns, 'warn');
    if (warn && warn !== enforce) {
      const wv = evaluatePodSecurity(warn, target.meta, target.spec);
      const warnVersion = ns?.metadata?.labels?.['pod-security.kubernetes.io/warn-version'] ?? 'latest';
      if (wv.length) warnings.push(`would violate PodSecurity "${warn}:${warnVersion}": ${wv.join(', ')}`);
    }
    return { allowed: true, note: `enforce=${enforce}${warnings.length ? ' (with warnings)' : ''}`, warnings };
  },
};
