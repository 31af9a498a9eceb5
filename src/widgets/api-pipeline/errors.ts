/**
 * runApiRequest prefixes each input error's path with the input it is in
 * (`manifest/spec.containers[0]`, `rbac#2/kind`, `request/verb`); the
 * snippet shell wants the file id, to put the error under the right editor.
 */
import type { LocatedError } from '../shell/SnippetShell.tsx';

export const API_PIPELINE_FILES = ['request', 'rbac', 'manifest'] as const;

export function withFile(errors: LocatedError[]): LocatedError[] {
  return errors.map((e) => {
    const head = (e.path ?? '').split(/[/#]/)[0] ?? '';
    return (API_PIPELINE_FILES as readonly string[]).includes(head) ? { ...e, file: head } : e;
  });
}
