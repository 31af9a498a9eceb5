// Property tests and scripted scenarios for the Deployment controller
// (upstream behaviour: pkg/controller/deployment rolling.go, recreate.go, progress.go, v1.34).
import { describe, expect, it } from 'vitest';
import { DEFAULT_ROLLING_UPDATE_YAML, runRollingUpdate, Prng, checkRolloutPoint, RolloutSimulation, parseDeploymentYaml } from '../../src/index.ts';

function yaml(replicas: number, maxSurge: string | number, maxUnavailable: string | number, extra = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}
  ${extra}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: ${typeof maxSurge === 'string' ? JSON.stringify(maxSurge) : maxSurge}
      maxUnavailable: ${typeof maxUnavailable === 'string' ? JSON.stringify(maxUnavailable) : maxUnavailable}
  template:
    spec:
      containers:
        - name: app
          image: app:2
`;
}

describe('rolling update bounds (property, many seeds)', () => {
  it('never exceeds desired+surge pods nor drops below desired−unavailable available pods', () => {
    const gen = new Prng(2024);
    for (let seed = 1; seed <= 150; seed++) {
      const replicas = gen.intBetween(1, 25);
      const pct = (n: number) => `${n}%`;
      const maxSurge = gen.chance(0.5) ? gen.intBetween(0, 5) : pct(gen.intBetween(0, 101));
      const maxUnavailable = gen.chance(0.5) ? gen.intBetween(0, 5) : pct(gen.intBetween(0, 101));
      if ((maxSurge === 0 || maxSurge === '0%') && (maxUnavailable === 0 || maxUnavailable === '0%')) continue;
      const parsed = parseDeploymentYaml(yaml(replicas, maxSurge, maxUnavailable, `minReadySeconds: ${gen.intBetween(0, 3)}`));
      expect(parsed.ok, `seed ${seed}`).toBe(true);
      if (!parsed.ok) continue;
      const sim = new RolloutSimulation(parsed.value.deployment, parsed.value.fromImage, {
        seed, podReadySeconds: [1, gen.intBetween(1, 20)], newPodFailureRate: gen.chance(0.3) ? 0.3 : 0,
      });
      for (let t = 0; t < 400 && !sim.complete; t++) {
        const v = checkRolloutPoint(sim.step());
        if (v.length) throw new Error(`seed ${seed} (replicas ${replicas}, maxSurge ${maxSurge}, maxUnavailable ${maxUnavailable}) t=${t}s: ${v.map((x) => x.message).join('; ')}`);
      }
    }
  });
});

describe('runRollingUpdate', () => {
  it('rolls the default example to completion within the bounds, same seed same timeline', () => {
    const a = runRollingUpdate(DEFAULT_ROLLING_UPDATE_YAML, { seed: 7 });
    const b = runRollingUpdate(DEFAULT_ROLLING_UPDATE_YAML, { seed: 7 });
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(a.value).toEqual(b.value);
    expect([a.value.maxSurge, a.value.maxUnavailable, a.value.maxTotalPods, a.value.minAvailablePods]).toEqual([3, 2, 13, 8]);
    expect(a.value.completedAtSeconds).not.toBeNull();
    expect(a.value.violations).toEqual([]);
    const first = a.value.timeline[0]!;
    expect([first.oldReplicas, first.newReplicas]).toEqual([8, 3]);
    const last = a.value.timeline.at(-1)!;
    expect([last.oldReplicas, last.newReplicas, last.availablePods]).toEqual([0, 10, 10]);
    expect(a.value.revisions.map((r) => [r.revision, r.image])).toEqual([[1, 'nginx:1.26'], [2, 'nginx:1.27']]);
  });

  it('reports ProgressDeadlineExceeded when the new image never starts', () => {
    const text = yaml(4, 1, 0, 'progressDeadlineSeconds: 30').replace('app:2', 'app:does-not-exist');
    const r = runRollingUpdate(text, { seed: 1 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // Last progress at t=1 s (the new set's first pod appears in status: updatedReplicas 0 → 1);
    // DeploymentTimedOut needs lastUpdateTime + 30 s strictly before now → first true at 32 s.
    expect(r.value.progressDeadlineExceededAtSeconds).toBe(32);
    expect(r.value.completedAtSeconds).toBeNull();
    const last = r.value.timeline.at(-1)!;
    expect([last.oldPods, last.availablePods]).toEqual([4, 4]);
  });

  it('Recreate scales old pods to zero before any new pod exists', () => {
    const text = yaml(3, 1, 1).replace('type: RollingUpdate', 'type: Recreate').replace(/    rollingUpdate:\n.*\n.*\n/, '');
    const r = runRollingUpdate(text, { seed: 3 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    for (const p of r.value.timeline) expect(p.oldPods > 0 && p.newPods > 0).toBe(false);
    expect(r.value.timeline.some((p) => p.availablePods === 0)).toBe(true);
    expect(r.value.completedAtSeconds).not.toBeNull();
  });

  it('rollout undo re-uses the old ReplicaSet as revision 3 with revision-history 1', () => {
    const r = runRollingUpdate(DEFAULT_ROLLING_UPDATE_YAML, { seed: 2, actions: [{ atSeconds: 40, kind: 'undo' }] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.revisions.map((x) => [x.revision, x.image, x.history ?? ''])).toEqual([[2, 'nginx:1.27', ''], [3, 'nginx:1.26', '1']]);
    const last = r.value.timeline.at(-1)!;
    expect(last.newReplicas).toBe(10);
  });

  it('scaling mid-rollout scales both sets proportionally', () => {
    const r = runRollingUpdate(yaml(10, 3, 2), { seed: 4, podReadySeconds: [30, 40], actions: [{ atSeconds: 2, kind: 'scale', replicas: 20 }] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const scaled = r.value.events.filter((e) => e.timeSeconds === 2 && e.reason === 'ScalingReplicaSet');
    expect(scaled.length).toBe(2);
    const at2 = r.value.timeline.find((p) => p.timeSeconds === 2)!;
    expect(at2.oldReplicas + at2.newReplicas).toBe(23);
  });

  it('locates bad input', () => {
    const bad = runRollingUpdate(yaml(10, 'oops', 1), { seed: 1 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.errors[0]!.path).toBe('spec.strategy.rollingUpdate.maxSurge');
      expect(bad.errors[0]!.line).toBe(11);
    }
    const syntax = runRollingUpdate('kind: [', { seed: 1 });
    expect(!syntax.ok && syntax.errors[0]!.code).toBe('YAML_SYNTAX');
    const big = runRollingUpdate(yaml(100000, 1, 1), { seed: 1 });
    expect(!big.ok && big.errors[0]!.code).toBe('LIMIT_EXCEEDED');
    // Recreate with a rollingUpdate block is rejected, as apps/v1 validation does.
    const recreate = runRollingUpdate(yaml(5, 1, 1).replace('type: RollingUpdate', 'type: Recreate'), { seed: 1 });
    expect(!recreate.ok && recreate.errors[0]!.path).toBe('spec.strategy.rollingUpdate');
    expect(!recreate.ok && recreate.errors[0]!.line).toBe(11); // the block's first line
    const zero = runRollingUpdate(yaml(5, 0, 0), { seed: 1 });
    expect(!zero.ok && zero.errors[0]!.path).toBe('spec.strategy.rollingUpdate.maxUnavailable');
  });
});
