import { describe, expect, it } from 'vitest';
import { parseYaml } from '../src/api/yaml.ts';

describe('parseYaml', () => {
  it('locates a field path to its line and column', () => {
    const r = parseYaml('apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    image: nginx\n');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.locate('spec.containers[0].image')).toEqual({ line: 6, column: 12 });
    expect(r.value.errorAt('spec.containers[0].nope', 'X', 'm').line).toBe(5);
  });

  it('reports a syntax error with line and column', () => {
    const r = parseYaml('a: 1\nb: [1, 2\nc: 3\n');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors[0]!.code).toBe('YAML_SYNTAX');
      expect(r.errors[0]!.line).toBeGreaterThanOrEqual(2);
    }
  });

  it('rejects duplicate keys and oversized input', () => {
    expect(parseYaml('a: 1\na: 2\n').ok).toBe(false);
    const big = parseYaml('x'.repeat(300 * 1024));
    expect(big.ok).toBe(false);
    if (!big.ok) expect(big.errors[0]!.code).toBe('LIMIT_EXCEEDED');
  });
});
