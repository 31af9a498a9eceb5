/**
 * Timing defaults of node heartbeats and the node lifecycle, current upstream.
 * - kube-controller-manager --node-monitor-grace-period: 50 s since v1.32
 *   (kubernetes/kubernetes PR #126287; 40 s before), --node-monitor-period 5 s,
 *   --node-startup-grace-period 60 s, --node-eviction-rate 0.1 nodes/s
 *   (pkg/controller/nodelifecycle/config/v1alpha1/defaults.go,
 *   cmd/kube-controller-manager/app/options/nodelifecyclecontroller.go).
 * - kubelet node lease: duration 40 s (nodeLeaseDurationSeconds), renewed every
 *   0.25 × 40 s = 10 s (pkg/kubelet/nodelease, component-helpers/apimachinery/lease).
 * - DefaultTolerationSeconds admission plugin: 300 s for node.kubernetes.io/not-ready
 *   and node.kubernetes.io/unreachable (plugin/pkg/admission/defaulttolerationseconds).
 * - The pod-eviction-timeout flag is gone (removed in v1.27): eviction is always
 *   taint-based (pkg/controller/tainteviction).
 */
export const NODE_MONITOR_GRACE_PERIOD_MS = 50_000;
export const NODE_MONITOR_GRACE_PERIOD_BEFORE_V1_32_MS = 40_000;
export const NODE_MONITOR_PERIOD_MS = 5_000;
export const NODE_STARTUP_GRACE_PERIOD_MS = 60_000;
export const NODE_LEASE_DURATION_SECONDS = 40;
export const NODE_LEASE_RENEW_INTERVAL_MS = 10_000;
export const NODE_STATUS_UPDATE_FREQUENCY_MS = 10_000;
export const NODE_STATUS_REPORT_FREQUENCY_MS = 300_000;
export const DEFAULT_TOLERATION_SECONDS = 300;
/** --node-eviction-rate: NoExecute taints added per second in a healthy zone (token bucket, burst 1). */
export const NODE_EVICTION_RATE_PER_SECOND = 0.1;
/** --unhealthy-zone-threshold and --large-cluster-size-threshold. */
export const UNHEALTHY_ZONE_THRESHOLD = 0.55;
export const LARGE_CLUSTER_SIZE_THRESHOLD = 50;

export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
