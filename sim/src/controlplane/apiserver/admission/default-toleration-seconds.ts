/**
 * DefaultTolerationSeconds (plugin/pkg/admission/defaulttolerationseconds/admission.go,
 * v1.34): every new pod tolerates node.kubernetes.io/not-ready and
 * node.kubernetes.io/unreachable (NoExecute) for 300 s, unless it already
 * tolerates them — so a pod is evicted 5 minutes after its node fails.
 */
import { isObject } from '../object.ts';
import { isPodCreate, type MutatingPlugin } from './interfaces.ts';

export const DefaultNotReadyTolerationSeconds = 300;
export const DefaultUnreachableTolerationSeconds = 300;
export const TaintNodeNotReady = 'node.kubernetes.io/not-ready';
export const TaintNodeUnreachable = 'node.kubernetes.io/unreachable';

type Rec = Record<string, unknown>;

export const DefaultTolerationSeconds: MutatingPlugin = {
  name: 'DefaultTolerationSeconds',
  handles: isPodCreate,
  admit(a) {
    const spec = (isObject(a.object.spec) ? a.object.spec : (a.object.spec = {})) as Rec;
    const tolerations = (Array.isArray(spec.tolerations) ? spec.tolerations : []) as Rec[];
    const tolerates = (key: string) => tolerations.some((t) =>
      (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
    const added: string[] = [];
    if (!tolerates(TaintNodeNotReady)) {
      tolerations.push({ key: TaintNodeNotReady, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DefaultNotReadyTolerationSeconds });
      added.push(TaintNodeNotReady);
    }
    if (!tolerates(TaintNodeUnreachable)) {
      tolerations.push({ key: TaintNodeUnreachable, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DefaultUnreachableTolerationSeconds });
      added.push(TaintNodeUnreachable);
    }
    if (added.length) spec.tolerations = tolerations;
    return { allowed: true, note: added.length ? `added ${added.join(', ')} for 300s` : 'pod already tolerates not-ready/unreachable' };
  },
};
