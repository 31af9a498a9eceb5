/**
 * Pod validation, the field errors a student meets first. Follows
 * pkg/apis/core/validation/validation.go (v1.34): ValidatePodSpec,
 * validateContainers (name, image, imagePullPolicy, ports, resources),
 * validateRestartPolicy, validateDNSPolicy, ValidateTolerations, and
 * ValidatePodUpdate's "pod updates may not change fields" rule.
 */
import { ceilScaled, parseExactQuantity } from '../../../api/quantity.ts';
import { isObject, type KObject } from '../object.ts';
import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from './field.ts';
import { isDNS1123Label } from './names.ts';

type Rec = Record<string, unknown>;

function validateResources(res: unknown, path: string, errs: FieldError[]): void {
  if (!isObject(res)) return;
  const limits = isObject(res.limits) ? res.limits : {};
  const requests = isObject(res.requests) ? res.requests : {};
  for (const [name, req] of Object.entries(requests)) {
    const lim = limits[name];
    if (lim === undefined) continue;
    const rq = parseExactQuantity(String(req));
    const lq = parseExactQuantity(String(lim));
    if (rq.ok && lq.ok && ceilScaled(rq.value, 3) > ceilScaled(lq.value, 3)) {
      errs.push(invalid(`${path}.requests`, String(req), `must be less than or equal to ${name} limit of ${String(lim)}`));
    }
  }
}

function validateContainers(list: unknown, path: string, errs: FieldError[], requireOne: boolean, names: Set<string>): void {
  if (!Array.isArray(list) || list.length === 0) {
    if (requireOne) errs.push(required(path));
    return;
  }
  list.forEach((c: unknown, i) => {
    const p = `${path}[${i}]`;
    if (!isObject(c)) {
      errs.push(invalid(p, c, 'must be an object'));
      return;
    }
    const name = c.name;
    if (typeof name !== 'string' || name === '') errs.push(required(`${p}.name`));
    else {
      for (const msg of isDNS1123Label(name)) errs.push(invalid(`${p}.name`, name, msg));
      if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
      names.add(name);
    }
    if (typeof c.image !== 'string' || c.image.trim() === '') errs.push(required(`${p}.image`));
    if (c.imagePullPolicy !== undefined && !['Always', 'IfNotPresent', 'Never'].includes(String(c.imagePullPolicy))) {
      errs.push(notSupported(`${p}.imagePullPolicy`, c.imagePullPolicy, ['Always', 'IfNotPresent', 'Never']));
    }
    if (Array.isArray(c.ports)) {
      c.ports.forEach((port: unknown, j) => {
        if (!isObject(port)) return;
        const cp = port.containerPort;
        if (cp === undefined) errs.push(required(`${p}.ports[${j}].containerPort`));
        else if (typeof cp !== 'number' || !Number.isInteger(cp) || cp < 1 || cp > 65535) {
          errs.push(invalid(`${p}.ports[${j}].containerPort`, cp, 'must be between 1 and 65535, inclusive'));
        }
        if (port.protocol !== undefined && !['SCTP', 'TCP', 'UDP'].includes(String(port.protocol))) {
          errs.push(notSupported(`${p}.ports[${j}].protocol`, port.protocol, ['SCTP', 'TCP', 'UDP']));
        }
      });
    }
    validateResources(c.resources, `${p}.resources`, errs);
  });
}

function validateTolerations(list: unknown, path: string, errs: FieldError[]): void {
  if (!Array.isArray(list)) return;
  list.forEach((t: unknown, i) => {
    if (!isObject(t)) return;
    const p = `${path}[${i}]`;
    if (t.operator !== undefined && !['Exists', 'Equal'].includes(String(t.operator))) {
      errs.push(notSupported(`${p}.operator`, t.operator, ['Equal', 'Exists']));
    }
    if (t.operator === 'Exists' && t.value) errs.push(invalid(`${p}.operator`, t.operator, 'value must be empty when `operator` is \'Exists\''));
    if (!t.key && t.operator !== 'Exists') errs.push(invalid(`${p}.operator`, t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      errs.push(invalid(`${p}.effect`, t.effect ?? '', 'effect must be \'NoExecute\' when `tolerationSeconds` is set'));
    }
    if (t.effect !== undefined && t.effect !== '' && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(String(t.effect))) {
      errs.push(notSupported(`${p}.effect`, t.effect, ['NoExecute', 'NoSchedule', 'PreferNoSchedule']));
    }
  });
}

/** ValidatePodSpec for a spec at `path` (`spec`, or `spec.template.spec` inside a workload). */
export function validatePodSpec(spec: unknown, path: string, restartPolicies = ['Always', 'Never', 'OnFailure']): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObject(spec)) return [required(path)];
  const names = new Set<string>();
  validateContainers(spec.initContainers, `${path}.initContainers`, errs, false, names);
  validateContainers(spec.containers, `${path}.containers`, errs, true, names);
  const rp = spec.restartPolicy;
  if (rp !== undefined && !restartPolicies.includes(String(rp))) errs.push(notSupported(`${path}.restartPolicy`, rp, restartPolicies));
  const dns = spec.dnsPolicy;
  const dnsPolicies = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];
  if (dns !== undefined && !dnsPolicies.includes(String(dns))) errs.push(notSupported(`${path}.dnsPolicy`, dns, dnsPolicies));
  const tgps = spec.terminationGracePeriodSeconds;
  if (typeof tgps === 'number' && tgps < 0) errs.push(invalid(`${path}.terminationGracePeriodSeconds`, tgps, 'must be greater than or equal to 0'));
  validateTolerations(spec.tolerations, `${path}.tolerations`, errs);
  return errs;
}

export function validatePod(pod: KObject): FieldError[] {
  return validatePodSpec(pod.spec, 'spec');
}

/**
 * ValidatePodUpdate: a pod's spec is immutable except container images,
 * activeDeadlineSeconds and added tolerations.
 */
export function validatePodUpdate(next: KObject, old: KObject): FieldError[] {
  const strip = (spec: unknown): Rec => {
    const s = JSON.parse(JSON.stringify(spec ?? {})) as Rec;
    for (const key of ['containers', 'initContainers']) {
      if (Array.isArray(s[key])) for (const c of s[key] as Rec[]) delete c.image;
    }
    delete s.activeDeadlineSeconds;
    delete s.tolerations;
    return s;
  };
  if (JSON.stringify(strip(next.spec)) === JSON.stringify(strip(old.spec))) return validatePod(next);
  return [forbidden('spec', 'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)')];
}
