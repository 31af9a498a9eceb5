/**
 * The node side of the QoS/OOM widget: a Node manifest whose
 * `status.capacity.memory` is the memoryCapacity the kubelet passes to
 * GetContainerOOMScoreAdjust (kubernetes/kubernetes pkg/kubelet/kuberuntime
 * kuberuntime_container_linux.go reads it from cAdvisor's MachineInfo, which
 * is also what the Node object reports as capacity). Burstable containers'
 * oom_score_adj depends on it, so the reader edits it beside the Pods.
 * Backs Layer 1 "OOM killer and QoS classes".
 */
import { parseYaml } from '../../../api/yaml.ts';
import { parseExactQuantity, ceilScaled } from '../../../api/quantity.ts';
import { fail, ok, simError, type Result } from '../../../core/result.ts';
import { QOS_OOM_LIMITS } from './qos-oom.ts';

export const DEFAULT_QOS_OOM_NODE = `apiVersion: v1
kind: Node
metadata:
  name: node-1
status:
  capacity:
    cpu: "4"
    memory: 4Gi
`;

/** The node's memory capacity in bytes, with located errors (YAML line/column and field path). */
export function parseNodeMemoryCapacity(text: string): Result<number> {
  const y = parseYaml(text);
  if (!y.ok) return y;
  const docs = y.value.docs;
  if (docs.length !== 1) return fail(simError('FIELD_INVALID', `expected exactly one Node, got ${docs.length} documents`, { line: 1, column: 1 }));
  const node = docs[0] as { kind?: unknown; status?: { capacity?: Record<string, unknown> } } | null;
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return fail(simError('FIELD_INVALID', 'the document must be a Node object', { line: 1, column: 1 }));
  if (node.kind !== 'Node') return fail(y.value.errorAt('kind', 'FIELD_INVALID', `kind must be Node, got ${JSON.stringify(node.kind)}`));
  const mem = node.status?.capacity?.memory;
  const path = 'status.capacity.memory';
  if (mem === undefined) return fail(y.value.errorAt(path, 'FIELD_REQUIRED', `${path} is required`));
  if (typeof mem !== 'string' && typeof mem !== 'number') return fail(y.value.errorAt(path, 'QUANTITY_FORMAT', 'a quantity must be a string or number'));
  const q = parseExactQuantity(String(mem), path);
  if (!q.ok) return fail(y.value.errorAt(path, q.errors[0]!.code, `memory: ${q.errors[0]!.message}`));
  const bytes = Number(ceilScaled(q.value, 0));
  if (q.value.negative || !Number.isSafeInteger(bytes) || bytes < QOS_OOM_LIMITS.capacityMinBytes || bytes > QOS_OOM_LIMITS.capacityMaxBytes) {
    return fail(y.value.errorAt(path, 'LIMIT_EXCEEDED', `memory must be between 64Mi and 1Pi, got ${mem}`));
  }
  return ok(bytes);
}
