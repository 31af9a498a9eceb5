// Input errors from the sim land under the editor of the file they are in.
import { describe, expect, it } from 'vitest';
import { runApiRequest, DEFAULT_API_REQUEST, DEFAULT_MANIFEST, DEFAULT_RBAC } from '../../../sim/src/index.ts';
import { withFile } from './errors.ts';

const run = (o: Partial<{ request: string; rbac: string; manifest: string }>) =>
  runApiRequest({ request: DEFAULT_API_REQUEST, rbac: DEFAULT_RBAC, manifest: DEFAULT_MANIFEST, ...o }, { seed: 1 });

describe('withFile', () => {
  it.each([
    ['manifest', { manifest: DEFAULT_MANIFEST.replace('  containers:', '  containers: [') }],
    ['rbac', { rbac: DEFAULT_RBAC.replace('kind: LimitRange', 'kind: LimitRangeX') }],
    ['request', { request: DEFAULT_API_REQUEST.replace('verb: create', 'verb: fly') }],
  ] as const)('an error in %s is placed under that file, with its line', (file, edit) => {
    const r = run(edit);
    if (r.ok) throw new Error('expected an input error');
    const placed = withFile(r.errors);
    expect(placed.every((e) => e.file === file)).toBe(true);
    expect(placed[0]!.line).toBeGreaterThan(0);
  });

  it('leaves errors without a known input prefix alone', () => {
    expect(withFile([{ message: 'x', path: 'elsewhere/a' }, { message: 'y' }])).toEqual([{ message: 'x', path: 'elsewhere/a' }, { message: 'y' }]);
  });
});
