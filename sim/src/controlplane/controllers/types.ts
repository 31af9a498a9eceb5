/**
 * The controller-side view of Pods, ReplicaSets and Deployments: plain records
 * the reconcile functions read and return. Times are integer milliseconds of
 * virtual time (`…Ms`), `null` meaning Go's zero time. These mirror the fields
 * of k8s.io/api apps/v1 and core/v1 (v1.34) that the controllers actually read;
 * a later informer driver maps apiserver objects onto them.
 */

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

export interface SimPod {
  name: string;
  /** Tie-breaker in LogarithmicScaleDown ranking (upstream compares UIDs). */
  uid: string;
  /** Name of the owning ReplicaSet (ownerReferences[controller=true]). */
  owner: string;
  /** spec.nodeName; "" while unscheduled. */
  nodeName: string;
  phase: PodPhase;
  /** Ready condition is True. */
  ready: boolean;
  /** lastTransitionTime of the Ready=True condition; null when unknown (zero time). */
  readySinceMs: number | null;
  /** metadata.creationTimestamp; null = zero time. */
  creationMs: number | null;
  /** max restartCount over the containers. */
  restartCount: number;
  /** controller.kubernetes.io/pod-deletion-cost (default 0). */
  deletionCost?: number;
  /** metadata.deletionTimestamp is set: the pod is terminating and no longer counts as active. */
  deletionMs?: number | null;
}

export interface SimReplicaSet {
  name: string;
  uid: string;
  creationMs: number;
  /** spec.replicas */
  replicas: number;
  /** The pod template this set stamps out (we keep only what the story needs: the image). */
  template: PodTemplate;
  /** pod-template-hash label value. */
  templateHash: string;
  annotations: Record<string, string>;
  status: ReplicaSetStatus;
}

export interface ReplicaSetStatus {
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
}

export interface PodTemplate {
  image: string;
}

export type DeploymentStrategyType = 'RollingUpdate' | 'Recreate';

export interface DeploymentCondition {
  type: 'Progressing' | 'Available' | 'ReplicaFailure';
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastUpdateMs: number;
  lastTransitionMs: number;
}

export interface DeploymentStatus {
  observedGeneration: number;
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  unavailableReplicas: number;
  conditions: DeploymentCondition[];
}

export interface SimDeployment {
  name: string;
  generation: number;
  replicas: number;
  strategy: {
    type: DeploymentStrategyType;
    /** int or "N%"; undefined → the apps/v1 default "25%". */
    maxSurge?: number | string;
    maxUnavailable?: number | string;
  };
  template: PodTemplate;
  /** Default 0. */
  minReadySeconds: number;
  /** Default 10 (apps/v1 defaulting). */
  revisionHistoryLimit: number;
  /** Default 600 (apps/v1 defaulting); null = no deadline. */
  progressDeadlineSeconds: number | null;
  paused: boolean;
  annotations: Record<string, string>;
  status: DeploymentStatus;
}

export function emptyDeploymentStatus(): DeploymentStatus {
  return { observedGeneration: 0, replicas: 0, updatedReplicas: 0, readyReplicas: 0, availableReplicas: 0, unavailableReplicas: 0, conditions: [] };
}
