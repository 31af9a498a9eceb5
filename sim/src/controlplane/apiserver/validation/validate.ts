/**
 * The strategy's Validate for each kind this sim checks field by field; other
 * kinds get ObjectMeta validation only. Name rules per kind follow each
 * pkg/apis/<group>/validation ValidateXName (Services and Namespaces use
 * DNS labels; most others DNS subdomains), v1.34.
 */
import type { KObject } from '../object.ts';
import type { ResourceInfo } from '../resources.ts';
import type { FieldError } from './field.ts';
import { validateObjectMeta, type NameValidator } from './meta.ts';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain } from './names.ts';
import { validatePod, validatePodUpdate } from './pod.ts';
import { validateService, validateWorkload } from './workloads.ts';

const nameRule: Record<string, NameValidator> = {
  Service: isDNS1035Label,
  Namespace: isDNS1123Label,
};

export function validateObject(obj: KObject, info: ResourceInfo, old?: KObject): FieldError[] {
  const errs = validateObjectMeta(obj, info.namespaced, nameRule[info.kind] ?? isDNS1123Subdomain);
  switch (info.kind) {
    case 'Pod':
      errs.push(...(old ? validatePodUpdate(obj, old) : validatePod(obj)));
      break;
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
      errs.push(...validateWorkload(obj));
      break;
    case 'Service':
      errs.push(...validateService(obj));
      break;
  }
  return errs;
}
