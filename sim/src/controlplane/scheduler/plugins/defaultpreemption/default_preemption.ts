/**
 * DefaultPreemption, the default PostFilter: when no node fits, find a node
 * where evicting lower-priority pods would let the pod fit, after
 * pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go and
 * pkg/scheduler/framework/preemption/preemption.go (Kubernetes v1.34).
 * PodDisruptionBudgets are not modelled (every victim is "non-violating").
 *
 * Steps as upstream: skip nodes whose failure was UnschedulableAndUnresolvable
 * ("Preemption is not helpful for scheduling"); on each remaining node
 * (starting at a random offset, at most max(10% of them, 100)) remove every
 * lower-priority pod, check the pod fits, then reprieve victims from the
 * most important down while it still fits; pick the node whose most
 * important victim has the lowest priority, then the lowest sum of
 * priorities, then the fewest victims, then the first.
 */
import type { CycleState, Handle, PostFilterPlugin, PostFilterResult, Status } from '../../framework/interface.ts';
import { CycleState as NewCycleState, newStatus } from '../../framework/interface.ts';
import { fitErrorMessage } from '../../framework/fit_error.ts';
import type { NodeInfo, PodInfo } from '../../framework/types.ts';
import { DefaultPreemption } from '../names.ts';

export interface DefaultPreemptionArgs {
  minCandidateNodesPercentage: number;
  minCandidateNodesAbsolute: number;
}

export const defaultPreemptionArgs = (): DefaultPreemptionArgs => ({ minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 });

export const ErrNotHelpful = 'Preemption is not helpful for scheduling';
export const ErrNoVictims = 'No preemption victims found for incoming pod';

interface Candidate {
  node: string;
  victims: PodInfo[];
}

const MaxInt32Plus1 = 2 ** 31;

export function newDefaultPreemption(handle: Handle, args: DefaultPreemptionArgs = defaultPreemptionArgs()) {
  function selectVictimsOnNode(pod: PodInfo, original: NodeInfo): { victims: PodInfo[] } | { status: Status } {
    const node = original.clone();
    const state: CycleState = new NewCycleState();
    const pre = handle.runPreFilterPlugins(state, pod);
    if (pre !== null && pre.code !== 'Skip') return { status: pre };
    const potential = node.pods.filter((p) => p.priority < pod.priority);
    if (potential.length === 0) return { status: newStatus('UnschedulableAndUnresolvable', ErrNoVictims) };
    for (const p of potential) {
      node.removePod(p.key);
      handle.runPreFilterExtensionRemovePod(state, pod, p, node);
    }
    const fits = handle.runFilterPlugins(state, pod, node);
    if (fits !== null) return { status: fits };
    // Reprieve the most important pods first (MoreImportantPod: higher priority first).
    const ordered = [...potential].sort((a, b) => b.priority - a.priority);
    const victims: PodInfo[] = [];
    for (const p of ordered) {
      node.addPod(p);
      handle.runPreFilterExtensionAddPod(state, pod, p, node);
      if (handle.runFilterPlugins(state, pod, node) !== null) {
        node.removePod(p.key);
        handle.runPreFilterExtensionRemovePod(state, pod, p, node);
        victims.push(p);
      }
    }
    return { victims };
  }

  function pickOneNodeForPreemption(candidates: Candidate[]): Candidate {
    for (const c of candidates) if (c.victims.length === 0) return c;
    const highest = (c: Candidate) => Math.max(...c.victims.map((v) => v.priority));
    const sum = (c: Candidate) => c.victims.reduce((s, v) => s + v.priority + MaxInt32Plus1, 0);
    let best = candidates;
    for (const key of [highest, sum, (c: Candidate) => c.victims.length]) {
      const min = Math.min(...best.map(key));
      best = best.filter((c) => key(c) === min);
      if (best.length === 1) break;
    }
    return best[0]!;
  }

  const plugin = {
    name: DefaultPreemption,
    args,
    postFilter(_state: CycleState, pod: PodInfo, nodeToStatus: ReadonlyMap<string, Status>): PostFilterResult {
      if (pod.preemptionPolicy === 'Never') {
        return { status: newStatus('Unschedulable', 'not eligible due to preemptionPolicy=Never.'), message: 'not eligible due to preemptionPolicy=Never.' };
      }
      const nominated = pod.pod.status?.nominatedNodeName;
      if (nominated) {
        const n = handle.allNodes.find((x) => x.name === nominated);
        if (n && n.pods.some((p) => p.terminating && p.priority < pod.priority)) {
          const msg = 'not eligible due to a terminating pod on the nominated node.';
          return { status: newStatus('Unschedulable', msg), message: msg };
        }
      }
      const all = handle.allNodes;
      const potential = all.filter((n) => (nodeToStatus.get(n.name)?.code ?? 'UnschedulableAndUnresolvable') !== 'UnschedulableAndUnresolvable');
      const statuses = new Map<string, Status>();
      const candidates: Candidate[] = [];
      if (potential.length > 0) {
        let numCandidates = Math.trunc((potential.length * args.minCandidateNodesPercentage) / 100);
        if (numCandidates < args.minCandidateNodesAbsolute) numCandidates = args.minCandidateNodesAbsolute;
        if (numCandidates > potential.length) numCandidates = potential.length;
        const offset = handle.randomInt(potential.length);
        for (let i = 0; i < potential.length && candidates.length < numCandidates; i++) {
          const node = potential[(offset + i) % potential.length]!;
          const r = selectVictimsOnNode(pod, node);
          if ('victims' in r) candidates.push({ node: node.name, victims: r.victims });
          else statuses.set(node.name, r.status);
        }
      }
      if (candidates.length === 0) {
        const inner = fitErrorMessage(all.length, { nodeToStatus: statuses, absentNodesStatus: newStatus('UnschedulableAndUnresolvable', ErrNotHelpful) });
        const message = `preemption: ${inner}`;
        return { status: newStatus('Unschedulable', message), message };
      }
      const best = pickOneNodeForPreemption(candidates);
      return { status: newStatus('Success'), nominatedNodeName: best.node, victims: best.victims.map((v) => v.key) };
    },
  };
  return plugin satisfies PostFilterPlugin;
}
