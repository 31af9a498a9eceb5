/**
 * ObjectMeta validation (k8s.io/apimachinery/pkg/api/validation/objectmeta.go,
 * ValidateObjectMeta, v1.34): name required (unless generateName), name
 * format per resource, namespace required exactly for namespaced resources,
 * label values.
 */
import type { KObject } from '../object.ts';
import { invalid, required, forbidden, type FieldError } from './field.ts';
import { isValidLabelValue } from './names.ts';

export type NameValidator = (name: string) => string[];

export function validateObjectMeta(obj: KObject, namespaced: boolean, nameFn: NameValidator): FieldError[] {
  const errs: FieldError[] = [];
  const meta = obj.metadata ?? {};
  if (!meta.name) {
    if (!meta.generateName) errs.push(required('metadata.name', 'name or generateName is required'));
  } else {
    for (const msg of nameFn(meta.name)) errs.push(invalid('metadata.name', meta.name, msg));
  }
  if (namespaced && !meta.namespace) errs.push(required('metadata.namespace'));
  if (!namespaced && meta.namespace) errs.push(forbidden('metadata.namespace', 'not allowed on this type'));
  for (const [k, v] of Object.entries(meta.labels ?? {})) {
    for (const msg of isValidLabelValue(String(v))) errs.push(invalid(`metadata.labels`, String(v), msg));
    if (!k) errs.push(invalid('metadata.labels', k, 'name part must be non-empty'));
  }
  return errs;
}
