/**
 * Deployment / ReplicaSet / Service / Namespace validation. Follows
 * pkg/apis/apps/validation/validation.go (ValidateDeploymentSpec: selector
 * required and matching the template labels, replicas ≥ 0, template
 * restartPolicy Always) and pkg/apis/core/validation/validation.go
 * (ValidateService: ports, names, protocols, types, node port range), v1.34.
 */
import { isObject, type KObject } from '../object.ts';
import { duplicate, invalid, notSupported, required, type FieldError } from './field.ts';
import { validatePodSpec } from './pod.ts';

type Rec = Record<string, unknown>;

/** Does `matchLabels` select `labels`? (matchExpressions are checked by their consumers.) */
function selectorMatches(selector: Rec, labels: Record<string, string>): boolean {
  const ml = isObject(selector.matchLabels) ? (selector.matchLabels as Record<string, string>) : {};
  return Object.entries(ml).every(([k, v]) => labels[k] === v);
}

/** For Deployment, ReplicaSet, StatefulSet, DaemonSet: selector + template. */
export function validateWorkload(obj: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = isObject(obj.spec) ? obj.spec : {};
  const replicas = spec.replicas;
  if (replicas !== undefined && (typeof replicas !== 'number' || replicas < 0)) {
    errs.push(invalid('spec.replicas', replicas, 'must be greater than or equal to 0'));
  }
  const selector = spec.selector;
  const template = isObject(spec.template) ? spec.template : undefined;
  if (!isObject(selector)) errs.push(required('spec.selector'));
  else if (!isObject(selector.matchLabels) && !Array.isArray(selector.matchExpressions)) {
    errs.push(invalid('spec.selector', selector, `empty selector is invalid for ${obj.kind?.toLowerCase()}`));
  }
  if (!template) {
    errs.push(required('spec.template'));
    return errs;
  }
  const meta = isObject(template.metadata) ? template.metadata : {};
  const labels = (isObject(meta.labels) ? meta.labels : {}) as Record<string, string>;
  if (isObject(selector) && isObject(selector.matchLabels) && !selectorMatches(selector, labels)) {
    errs.push(invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
  }
  const restartPolicies = obj.kind === 'Job' ? ['Never', 'OnFailure'] : ['Always'];
  errs.push(...validatePodSpec(template.spec, 'spec.template.spec', restartPolicies));
  return errs;
}

export function validateService(obj: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = isObject(obj.spec) ? obj.spec : {};
  const types = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
  if (spec.type !== undefined && !types.includes(String(spec.type))) errs.push(notSupported('spec.type', spec.type, types));
  if (spec.type === 'ExternalName') return errs;
  const ports = Array.isArray(spec.ports) ? spec.ports : [];
  if (ports.length === 0 && spec.clusterIP !== 'None') errs.push(required('spec.ports'));
  const names = new Set<string>();
  ports.forEach((p: unknown, i) => {
    if (!isObject(p)) return;
    const path = `spec.ports[${i}]`;
    if (ports.length > 1) {
      if (!p.name) errs.push(required(`${path}.name`));
      else if (names.has(String(p.name))) errs.push(duplicate(`${path}.name`, p.name));
      names.add(String(p.name ?? ''));
    }
    if (typeof p.port !== 'number' || !Number.isInteger(p.port) || p.port < 1 || p.port > 65535) {
      errs.push(invalid(`${path}.port`, p.port ?? 0, 'must be between 1 and 65535, inclusive'));
    }
    if (p.protocol !== undefined && !['SCTP', 'TCP', 'UDP'].includes(String(p.protocol))) {
      errs.push(notSupported(`${path}.protocol`, p.protocol, ['SCTP', 'TCP', 'UDP']));
    }
    if (typeof p.targetPort === 'number' && (p.targetPort < 1 || p.targetPort > 65535)) {
      errs.push(invalid(`${path}.targetPort`, p.targetPort, 'must be between 1 and 65535, inclusive'));
    }
    if (p.nodePort !== undefined) {
      if (spec.type !== 'NodePort' && spec.type !== 'LoadBalancer') {
        errs.push({ type: 'FieldValueForbidden', field: `${path}.nodePort`, body: 'Forbidden: may not be used when `type` is \'ClusterIP\'' });
      } else if (typeof p.nodePort !== 'number' || p.nodePort < 30000 || p.nodePort > 32767) {
        errs.push(invalid(`${path}.nodePort`, p.nodePort, 'provided port is not in the valid range. The range of valid ports is 30000-32767'));
      }
    }
  });
  return errs;
}
