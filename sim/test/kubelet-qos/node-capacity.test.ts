/** The Node manifest beside the Pods in the QoS/OOM widget: status.capacity.memory with located errors. */
import { describe, expect, it } from 'vitest';
import { parseNodeMemoryCapacity, DEFAULT_QOS_OOM_NODE } from '../../src/node/kubelet/qos/node-capacity.ts';
import { runQosOom, DEFAULT_QOS_OOM } from '../../src/node/kubelet/qos/qos-oom.ts';
import { getContainerOOMScoreAdjust } from '../../src/node/kubelet/qos/policy.ts';

describe('parseNodeMemoryCapacity', () => {
  it('reads the default node as 4Gi', () => {
    expect(parseNodeMemoryCapacity(DEFAULT_QOS_OOM_NODE)).toEqual({ ok: true, value: 4 * 2 ** 30 });
  });
  it('locates a bad quantity by line, column and field path', () => {
    const r = parseNodeMemoryCapacity(DEFAULT_QOS_OOM_NODE.replace('memory: 4Gi', 'memory: 4GB'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]).toMatchObject({ path: 'status.capacity.memory', line: 8, column: 13 });
  });
  it('rejects a missing capacity, a non-Node and absurd sizes', () => {
    const missing = parseNodeMemoryCapacity('kind: Node\nstatus: {}\n');
    expect(!missing.ok && missing.errors[0]!.path).toBe('status.capacity.memory');
    const pod = parseNodeMemoryCapacity('kind: Pod\n');
    expect(!pod.ok && pod.errors[0]!.path).toBe('kind');
    expect(parseNodeMemoryCapacity(DEFAULT_QOS_OOM_NODE.replace('4Gi', '1Mi')).ok).toBe(false);
  });
  it('the capacity feeds the Burstable formula: app in the default pods on 4Gi vs 16Gi', () => {
    for (const gi of [4, 16]) {
      const cap = parseNodeMemoryCapacity(DEFAULT_QOS_OOM_NODE.replace('4Gi', `${gi}Gi`));
      if (!cap.ok) throw new Error('parse failed');
      const r = runQosOom(DEFAULT_QOS_OOM, { memoryCapacityBytes: cap.value });
      if (!r.ok) throw new Error(r.errors[0]!.message);
      const app = r.value.processes.find((p) => p.comm === 'app')!;
      // policy.go: 1000 − 1000·request/capacity, integer division (256Mi request)
      expect(app.oomScoreAdj).toBe(1000 - Math.floor((1000 * 256 * 2 ** 20) / cap.value));
      expect(app.oomScoreAdj).toBe(getContainerOOMScoreAdjust({ spec: { containers: [{ name: 'x', resources: { requests: { memory: '256Mi' } } }] } }, { name: 'x', resources: { requests: { memory: '256Mi' } } }, cap.value));
    }
  });
});
