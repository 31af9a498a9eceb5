/**
 * Defaulting applied when a request body is decoded (before admission).
 * Follows pkg/apis/core/v1/defaults.go (SetDefaults_Pod, SetDefaults_PodSpec,
 * SetDefaults_Container, SetDefaults_Service, SetDefaults_ServicePort) and
 * pkg/apis/apps/v1/defaults.go (SetDefaults_Deployment), v1.34.
 */
import type { KObject } from './object.ts';
import { isObject } from './object.ts';

type Rec = Record<string, unknown>;

/** `Always` when the image has no tag or the tag is `latest` (and no digest); else `IfNotPresent`. */
export function defaultImagePullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  const tag = colon === -1 ? '' : image.slice(colon + 1);
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultContainer(c: Rec): void {
  if (typeof c.image === 'string' && c.imagePullPolicy === undefined) c.imagePullPolicy = defaultImagePullPolicy(c.image);
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  if (Array.isArray(c.ports)) for (const p of c.ports) if (isObject(p)) p.protocol ??= 'TCP';
  // SetDefaults_Container: limits without requests → requests = limits.
  const res = c.resources;
  if (isObject(res) && isObject(res.limits)) {
    const requests: Rec = isObject(res.requests) ? res.requests : {};
    for (const [k, v] of Object.entries(res.limits)) if (requests[k] === undefined) requests[k] = v;
    res.requests = requests;
  }
}

export function defaultPodSpec(spec: Rec): void {
  spec.restartPolicy ??= 'Always';
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ??= 'default-scheduler';
  spec.securityContext ??= {};
  spec.enableServiceLinks ??= true;
  for (const list of [spec.containers, spec.initContainers]) {
    if (Array.isArray(list)) for (const c of list) if (isObject(c)) defaultContainer(c);
  }
}

function defaultDeployment(obj: Rec): void {
  const spec = (obj.spec ??= {}) as Rec;
  spec.replicas ??= 1;
  const strategy = (spec.strategy ??= {}) as Rec;
  strategy.type ??= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {}) as Rec;
    ru.maxUnavailable ??= '25%';
    ru.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  const template = spec.template;
  if (isObject(template)) {
    const podSpec = (template.spec ??= {}) as Rec;
    defaultPodSpec(podSpec);
  }
}

function defaultService(obj: Rec): void {
  const spec = (obj.spec ??= {}) as Rec;
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  spec.internalTrafficPolicy ??= 'Cluster';
  if (Array.isArray(spec.ports)) {
    for (const p of spec.ports) {
      if (!isObject(p)) continue;
      p.protocol ??= 'TCP';
      if (p.targetPort === undefined && p.port !== undefined) p.targetPort = p.port;
    }
  }
}

/** Applies the scheme defaults for the object's kind, in place. */
export function applyDefaults(obj: KObject): void {
  if (obj.kind === 'Pod' && isObject(obj.spec)) defaultPodSpec(obj.spec);
  else if (obj.kind === 'Deployment') defaultDeployment(obj);
  else if (obj.kind === 'Service') defaultService(obj);
}
