/**
 * The simulation's public API: an explicit list (STYLE habit 7). Widgets and
 * tests import from here, never from internal paths.
 */

// core
export { Clock } from './core/clock.ts';
export { Prng } from './core/prng.ts';
export { invariant, InvariantError } from './core/invariant.ts';
export { ok, fail, simError, formatError } from './core/result.ts';
export type { Result, SimError } from './core/result.ts';

// Kubernetes API values
export { parseQuantity, cpuToMilli, quantityToBytes, parseExactQuantity, QuantityError, QUANTITY_MAX } from './api/quantity.ts';
export type { ExactQuantity } from './api/quantity.ts';
export { parseYaml, parsePath, YAML_MAX_BYTES } from './api/yaml.ts';
export type { LocatedYaml } from './api/yaml.ts';
export type * from './api/objects.ts';

// --- layer 0: hardware (sim/src/hardware) ---
export { runCpuCores, DEFAULT_CPU_CORES, CPU_CORES_LIMITS } from './hardware/cpu/widget.ts';
export type { CpuCoresView } from './hardware/cpu/widget.ts';
export { simulateCores } from './hardware/cpu/cores.ts';
export type { ThreadSpec, CoresRun, CoresResult } from './hardware/cpu/cores.ts';
export { runPipeline, parseProgram, DEFAULT_PIPELINE_PROGRAM, PIPELINE_LIMITS } from './hardware/cpu/pipeline.ts';
export type { PipelineView as CpuPipelineView, PipelineCycle, Instruction } from './hardware/cpu/pipeline.ts';
export { pageWalkReferences, pageWalkTable, VIRTUALIZATION_FEATURES } from './hardware/cpu/virtualization.ts';
export { toeplitzHash, rssHash, rssInput, ipv4Bytes, ipv6Bytes, MICROSOFT_RSS_KEY } from './hardware/nic/toeplitz.ts';
export type { FlowTuple } from './hardware/nic/toeplitz.ts';
export { runNicBurst, DEFAULT_NIC_BURST, NIC_LIMITS } from './hardware/nic/widget.ts';
export type { NicView } from './hardware/nic/widget.ts';
export { simulateRx } from './hardware/nic/rx.ts';
export type { RxConfig, RxPacket, RxResult } from './hardware/nic/rx.ts';
export { segmentation, mssForMtu } from './hardware/nic/offloads.ts';
export type { SegmentationView } from './hardware/nic/offloads.ts';
export { NAPI_POLL_WEIGHT, NETDEV_BUDGET, NETDEV_BUDGET_USECS, RSS_INDIR_TABLE_SIZE, GRO_MAX_SIZE, GSO_MAX_SIZE, RX_COSTS_NS } from './hardware/nic/costs.ts';
export { runStorageTrace, DEFAULT_STORAGE_TRACE, HOST_COSTS, READAHEAD_PAGES } from './hardware/storage/widget.ts';
export type { StorageView, StoragePhaseView } from './hardware/storage/widget.ts';
export { parseTrace, STORAGE_LIMITS } from './hardware/storage/trace.ts';
export { Ftl } from './hardware/storage/ftl.ts';
export { Ssd } from './hardware/storage/ssd.ts';
export { schedule, MAX_REQUEST_SECTORS, FIFO_BATCH } from './hardware/storage/scheduler.ts';
export { TLC_TIMING, SECTOR_BYTES } from './hardware/storage/nand.ts';
export { parseSizeBytes, formatBytes, parseCpuList } from './hardware/input.ts';
export { runMemoryAccess, DEFAULT_MEMORY_ACCESS, MEMORY_LIMITS } from './hardware/memory/widget.ts';
export type { MemoryView, MemoryRunView } from './hardware/memory/widget.ts';
export { simulateAccess } from './hardware/memory/access.ts';
export type { AccessRun, AccessResult, AccessPattern } from './hardware/memory/access.ts';
export { SetAssocCache } from './hardware/memory/cache.ts';
export {
  CACHE_LEVELS, CACHE_LINE_BYTES, DRAM_LOCAL_NS, DRAM_REMOTE_NS, NUMA_DISTANCES, MEMORY_HIERARCHY_TABLE, PAGE_BYTES, TLB_SPECS, tlbReachBytes,
} from './hardware/memory/hierarchy.ts';
export type { PageSize } from './hardware/memory/hierarchy.ts';

// --- layer 1: kernel (sim/src/kernel) and kubelet's view of it ---
export { getPodQOS, computePodQOS, QOS_COMPUTE_RESOURCES } from './node/kubelet/qos/qos.ts';
export type { PodQOSClass } from './node/kubelet/qos/qos.ts';
export { getContainerOOMScoreAdjust, KUBELET_OOM_SCORE_ADJ, KUBE_PROXY_OOM_SCORE_ADJ, GUARANTEED_OOM_SCORE_ADJ, BESTEFFORT_OOM_SCORE_ADJ, BURSTABLE_OOM_SCORE_ADJ_MIN, BURSTABLE_OOM_SCORE_ADJ_MAX } from './node/kubelet/qos/policy.ts';
export { setDefaultsPodResources } from './node/kubelet/qos/defaults.ts';
export type { DefaultedPod } from './node/kubelet/qos/defaults.ts';
export { Kernel, PID_MAX, TASKS_MAX } from './kernel/process.ts';
export type { Task } from './kernel/process.ts';
export { CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWCGROUP, CLONE_NEWTIME, NS_KINDS, formatFlags } from './kernel/namespaces/flags.ts';
export type { NsKind } from './kernel/namespaces/flags.ts';
export { runNamespaces, DEFAULT_NAMESPACES_SCRIPT, NAMESPACES_LIMITS } from './kernel/namespaces/script.ts';
export type { NamespacesView, NsStep } from './kernel/namespaces/script.ts';
export type { NsSnapshot, ProcessRow, PidNsView, NamespaceRow } from './kernel/namespaces/view.ts';
export { parseIdMap, fromKid, makeKid, OVERFLOW_ID, UID_GID_MAP_MAX_EXTENTS } from './kernel/namespaces/user.ts';
export { CgroupTree, Cgroup, kubepodsPath } from './kernel/cgroups/hierarchy.ts';
export type { CgroupController, CgroupFile, WriteOutcome } from './kernel/cgroups/hierarchy.ts';
export { MemoryCgroups, MEMCG_CHARGE_BATCH, MAX_RECLAIM_RETRIES, MAX_HIGH_DELAY_MS, KERNEL_STACK_PAGES } from './kernel/cgroups/memory.ts';
export type { MemcgState, TaskMm, ChargeOutcome, MemLogEntry, MemLogKind } from './kernel/cgroups/memory.ts';
export { parseMemoryLimit, formatLimit, MEM_EVENTS } from './kernel/cgroups/memory-files.ts';
export type { MemEvent } from './kernel/cgroups/memory-files.ts';
export { runMemoryPressure, DEFAULT_MEMORY_PRESSURE, MEMORY_PRESSURE_LIMITS } from './kernel/cgroups/memory-pressure.ts';
export type { MemoryPressureView, MemorySample, MemoryEventRow, MemoryProcessRow } from './kernel/cgroups/memory-pressure.ts';
export { oomBadness, procOomScore, OOM_SCORE_ADJ_MIN, OOM_SCORE_ADJ_MAX, PAGE_SIZE } from './kernel/oom/badness.ts';
export type { MmCounters } from './kernel/oom/badness.ts';
export { selectBadProcess, killOrder } from './kernel/oom/select.ts';
export type { OomCandidate, OomChoice } from './kernel/oom/select.ts';
export { runQosOom, DEFAULT_QOS_OOM, QOS_OOM_LIMITS } from './node/kubelet/qos/qos-oom.ts';
export type { QosOomView, QosOomPod, QosOomProcess } from './node/kubelet/qos/qos-oom.ts';
export { fairShare, simulateCfs } from './kernel/cgroups/cfs-bandwidth.ts';
export type { CpuGroupSpec, CpuStat, CpuBucket, CfsRunResult, PeriodRecord } from './kernel/cgroups/cfs-bandwidth.ts';
export {
  parseCpuWeight, parseCpuMax, parseCpuMaxBurst, formatCpuMax,
  CPU_WEIGHT_MIN, CPU_WEIGHT_MAX, CPU_WEIGHT_DEFAULT, CFS_PERIOD_DEFAULT_US, CFS_QUOTA_MIN_US, CFS_PERIOD_MAX_US, CFS_RUNTIME_MAX_US,
} from './kernel/cgroups/cpu-files.ts';
export type { CpuMax } from './kernel/cgroups/cpu-files.ts';
export { runCgroupCpu, parseCgroupCpu, formatCpuStat, DEFAULT_CGROUP_CPU, CGROUP_CPU_LIMITS } from './kernel/cgroups/cpu-widget.ts';
export type { CgroupCpuView, CgroupCpuGroupView } from './kernel/cgroups/cpu-widget.ts';
export {
  milliCPUToShares, milliCPUToQuota, cpuWeightFromSharesKubelet, cpuWeightFromSharesRunc,
  MIN_SHARES, MAX_SHARES, QUOTA_PERIOD_US, MIN_QUOTA_PERIOD_US,
} from './node/kubelet/cm/cpu.ts';
// network stack + netfilter/iptables (sim/src/kernel/net, sim/src/kernel/netfilter)
export { parseIpv4, formatIpv4, parseCidr, formatCidr, cidrContains } from './kernel/net/ipv4.ts';
export type { Ipv4, Cidr } from './kernel/net/ipv4.ts';
export type { Packet } from './kernel/net/packet.ts';
export type { HostConfig, Route, InterfaceAddress, Listener } from './kernel/net/routing.ts';
export { parseIptables, RULES_MAX } from './kernel/netfilter/restore.ts';
export type { RestoreOptions } from './kernel/netfilter/restore.ts';
export { formatIptablesSave, saveRuleSpec } from './kernel/netfilter/save.ts';
export { emptyRuleset, cloneRuleset } from './kernel/netfilter/ruleset.ts';
export { JUMP_DEPTH_MAX } from './kernel/netfilter/validate.ts';
export { HOOKS, BUILTIN_CHAINS, hookEntries } from './kernel/netfilter/tables.ts';
export type { Hook, TableName } from './kernel/netfilter/tables.ts';
export type { Ruleset, Table, Chain, Rule, Match, Target, CtState } from './kernel/netfilter/types.ts';
export { NetfilterHost } from './kernel/netfilter/trace.ts';
export type { PacketTrace, Outcome } from './kernel/netfilter/trace.ts';
export type { TraceStep } from './kernel/netfilter/traceTypes.ts';
export type { ConntrackEntry } from './kernel/netfilter/conntrack.ts';
export { runPacketTrace, DEFAULT_PACKET_RULES, DEFAULT_PACKET_INPUT, DEFAULT_PACKET_RULES_EN, DEFAULT_PACKET_INPUT_EN, DISTRIBUTION_PACKETS_MAX } from './kernel/netfilter/runPacketTrace.ts';
export type { PacketTraceView, PacketTraceOptions, TracedPacket } from './kernel/netfilter/runPacketTrace.ts';
// VFS + OverlayFS (sim/src/kernel/vfs, sim/src/kernel/overlayfs)
export { Filesystem, FS_INODES_MAX } from './kernel/vfs/filesystem.ts';
export { formatMode } from './kernel/vfs/inode.ts';
export type { Inode, FileKind } from './kernel/vfs/inode.ts';
export { OverlayFs } from './kernel/overlayfs/overlay.ts';
export type { OvlEvent, OvlEventKind, OverlayOptions, MergedNode } from './kernel/overlayfs/overlay.ts';
export { isWhiteout, isOpaque, OVL_XATTR_OPAQUE, OVL_XATTR_REDIRECT } from './kernel/overlayfs/lookup.ts';
export { runShell } from './kernel/overlayfs/shell.ts';
export type { ShellFs, ShellCommand, ShellResult } from './kernel/overlayfs/shell.ts';
export { overlayShellFs, plainShellFs } from './kernel/overlayfs/shellFs.ts';
export { parseLayers, LAYERS_MAX, LAYER_ENTRIES_MAX } from './kernel/overlayfs/layersText.ts';
export type { MountInfo } from './kernel/overlayfs/layersText.ts';
export { parseOps, OPS_MAX } from './kernel/overlayfs/opsText.ts';
export { runOverlay, DEFAULT_OVERLAY_LAYERS, DEFAULT_OVERLAY_LAYERS_EN, DEFAULT_OVERLAY_OPS } from './kernel/overlayfs/runOverlay.ts';
export type { OverlayView, OverlayStepView, OverlaySnapshot, LayerView, LayerEntryView, MergedEntryView } from './kernel/overlayfs/runOverlay.ts';

// --- layer 2: runtime (sim/src/runtime) ---
export { runCriSequence, DEFAULT_CRI_SEQUENCE, MINIMUM_GRACE_PERIOD_SECONDS } from './runtime/widgets/cri-sequence.ts';
export type { CriSequenceView, CriContainerView, CriPhase } from './runtime/widgets/cri-sequence.ts';
export { runImagePull, DEFAULT_IMAGE_PULL, IMAGE_PULL_LIMITS } from './runtime/widgets/image-pull.ts';
export type { ImagePullView, ImagePullStep } from './runtime/widgets/image-pull.ts';
export { runRuncConfig, DEFAULT_RUNC_CONFIG, RUNC_WIDGET_PAUSE_PID, RUNC_WIDGET_CONTAINER_ID, RUNC_WIDGET_POD_UID } from './runtime/widgets/runc-config.ts';
export type { RuncConfigView } from './runtime/widgets/runc-config.ts';
export { runShimRestart, DEFAULT_SHIM_RESTART, SHIM_RESTART_LIMITS } from './runtime/widgets/shim-restart.ts';
export type { ShimRestartView, ShimRestartStep } from './runtime/widgets/shim-restart.ts';
export type { ProcessView, NamespaceRow as ContainerNamespaceRow } from './runtime/widgets/process-view.ts';
export { planPod, cgroupParentFor } from './runtime/widgets/pod-to-cri.ts';
export { Containerd } from './runtime/cri/containerd.ts';
export type { CriKernel } from './runtime/cri/containerd.ts';
export type { CriCall, CriEffect, ContainerStatus, ContainerConfig, PodSandboxConfig } from './runtime/cri/types.ts';
export { Shim } from './runtime/shim/shim.ts';
export { Runc, NAMESPACE_ORDER } from './runtime/runc/runc.ts';
export type { RuncStep } from './runtime/runc/steps.ts';
export { resolveCgroupsPath, expandSlice } from './runtime/runc/cgroups-path.ts';
export { cgroupWritesFor, convertCpuSharesToCgroupV2Value } from './runtime/runc/resources.ts';
export { parseLocatedJson } from './runtime/oci/json-located.ts';
export type { LocatedJson } from './runtime/oci/json-located.ts';
export { validateSpec } from './runtime/oci/validate.ts';
export type { RuntimeSpec } from './runtime/oci/spec.ts';
export { ImageService } from './runtime/images/image-service.ts';
export type { PullReport, LayerReport, BlobReport } from './runtime/images/image-service.ts';
export { defaultRegistry } from './runtime/images/registry.ts';
export { digestOf, chainIds } from './runtime/images/digest.ts';
export { parseReference } from './runtime/images/reference.ts';
export { OverlaySnapshotter, mountCommand } from './runtime/snapshotter/overlay.ts';
export type { Mount as SnapshotMount } from './runtime/snapshotter/overlay.ts';
export { LinuxKernel } from './runtime/kernel-adapter.ts';
export type { KernelPort } from './runtime/kernel-port.ts';

// --- layer 3: etcd / raft (sim/src/controlplane/etcd) ---
// raft: pure state machine (raft/), cluster harness (cluster.ts), checkers, script runner
export { RaftCluster, RAFT_MAX_MEMBERS, validateRaftClusterOptions } from './controlplane/etcd/cluster.ts';
export type { RaftClusterOptions, MemberStatus, MemberBrief, LogEntryView, ProposeResult, ApplyEvent, ClusterTrace } from './controlplane/etcd/cluster.ts';
export { Raft } from './controlplane/etcd/raft/raft.ts';
export type { RaftConfig, StepResult } from './controlplane/etcd/raft/raft.ts';
export { RawNode } from './controlplane/etcd/raft/rawnode.ts';
export type { Ready, SoftState } from './controlplane/etcd/raft/rawnode.ts';
export { RaftLog } from './controlplane/etcd/raft/log.ts';
export { MemoryStorage } from './controlplane/etcd/raft/storage.ts';
export { Progress, Inflights } from './controlplane/etcd/raft/progress.ts';
export { committedIndex, voteResult } from './controlplane/etcd/raft/quorum.ts';
export { newMessage, NONE as RAFT_NONE } from './controlplane/etcd/raft/types.ts';
export type { Entry as RaftEntry, HardState, Message as RaftMessage, MessageType as RaftMessageType, Snapshot as RaftSnapshot, StateType as RaftRole } from './controlplane/etcd/raft/types.ts';
export { RaftInvariantChecker } from './controlplane/etcd/raft/invariants.ts';
export type { RaftViolation, RaftProperty, RaftObservable } from './controlplane/etcd/raft/invariants.ts';
export { randomFaultSchedule, applyFault, describeFault } from './controlplane/etcd/raft/faults.ts';
export type { FaultAction } from './controlplane/etcd/raft/faults.ts';
export type { NetworkOptions as RaftNetworkOptions } from './controlplane/etcd/raft/network.ts';
export { parseRaftScript, RAFT_SCRIPT_LIMITS } from './controlplane/etcd/raft/script.ts';
export type { RaftScript, RaftCommand } from './controlplane/etcd/raft/script.ts';
export { runRaftScript, DEFAULT_RAFT_SCRIPT, RAFT_TIMELINE_MAX_SAMPLES } from './controlplane/etcd/raft/runner.ts';
export type { RaftRunView, RaftFrame, RaftTickSample, MemberSample as RaftMemberSample, RaftEvent, RaftEventKind, RaftFinalLog } from './controlplane/etcd/raft/runner.ts';

// --- layer 3: apiserver, watch, informers (sim/src/controlplane/apiserver) ---
// etcd MVCC (etcd/mvcc): deterministic store, watch, Raft-replicated store
export { KvStore, checkRequestSize } from './controlplane/etcd/mvcc/kvstore.ts';
export { WatchableStore } from './controlplane/etcd/mvcc/watchable-store.ts';
export type { WatchRequest, WatchListener } from './controlplane/etcd/mvcc/watchable-store.ts';
export { ReplicatedStore } from './controlplane/etcd/mvcc/replicated-store.ts';
export type { RaftLike, ReplicatedStoreOptions } from './controlplane/etcd/mvcc/replicated-store.ts';
export { ErrTimeout } from './controlplane/etcd/mvcc/client.ts';
export type { KvClient, TimeoutResponse } from './controlplane/etcd/mvcc/client.ts';
export { ErrCompacted, ErrFutureRev, ErrRequestTooLarge, ErrTooManyOps, MAX_REQUEST_BYTES, MAX_TXN_OPS } from './controlplane/etcd/mvcc/errors.ts';
export { prefixEnd } from './controlplane/etcd/mvcc/kv.ts';
export type {
  KeyValue, KvOp, PutRequest, DeleteRangeRequest, RangeRequest, TxnRequest, CompactionRequest, Compare, RequestOp,
  ApplyResponse, PutResponse, DeleteRangeResponse, RangeResponse, TxnResponse, CompactionResponse, ErrorResponse,
  MvccEvent, WatchResponse,
} from './controlplane/etcd/mvcc/kv.ts';
// kube-apiserver pipeline
export { ApiServer, LOOPBACK_USER } from './controlplane/apiserver/apiserver.ts';
export type { ApiServerOptions, WatchStream } from './controlplane/apiserver/apiserver.ts';
export type { ApiRequest, ApiResponse, PipelineStep, Stage, Verb } from './controlplane/apiserver/request.ts';
export type { Credentials, StaticToken } from './controlplane/apiserver/authn/authenticate.ts';
export type { UserInfo } from './controlplane/apiserver/authn/user.ts';
export { serviceAccountUsername } from './controlplane/apiserver/authn/user.ts';
export { authorizeRbac, ruleAllows, appliesToUser, forbiddenMessage } from './controlplane/apiserver/authz/rbac.ts';
export type { PolicyRule, Subject, Attributes as AuthorizerAttributes, RbacSource, RbacDecision } from './controlplane/apiserver/authz/rbac.ts';
export { evaluatePodSecurity } from './controlplane/apiserver/admission/pod-security.ts';
export { RESOURCES, resourceByName, resourceForKind, etcdKey } from './controlplane/apiserver/resources.ts';
export type { ResourceInfo } from './controlplane/apiserver/resources.ts';
export type { Status, StatusReason, StatusCause } from './controlplane/apiserver/status.ts';
export type { KObject, FieldChange } from './controlplane/apiserver/object.ts';
export type { WatchEvent, WatchEventType } from './controlplane/apiserver/storage/cacher.ts';
export { podQOSClass, formatTimestamp } from './controlplane/apiserver/strategy.ts';
// informers (client-go tools/cache)
export { Informer } from './controlplane/informers/informer.ts';
export type { InformerOptions, ResourceEventHandler, DeletedFinalStateUnknown, InformerEvent } from './controlplane/informers/informer.ts';
export { metaNamespaceKey } from './controlplane/informers/indexer.ts';
// widgets
export { runApiRequest, WIDGET_STATIC_TOKENS, statusLine } from './controlplane/apiserver/widget/run-api-request.ts';
export type { ApiRequestInput, PipelineView } from './controlplane/apiserver/widget/run-api-request.ts';
export { runWatchScript, WATCH_SCRIPT_MAX_LINES } from './controlplane/apiserver/widget/run-watch-script.ts';
export type { WatchScriptView } from './controlplane/apiserver/widget/run-watch-script.ts';
export { DEFAULT_API_REQUEST, DEFAULT_RBAC, DEFAULT_MANIFEST, DEFAULT_WATCH_SCRIPT } from './controlplane/apiserver/widget/defaults.ts';

// --- layer 3: scheduler (sim/src/controlplane/scheduler) ---
export { numFeasibleNodesToFind, selectHost, schedulePod, minFeasibleNodesToFind, minFeasibleNodesPercentageToFind } from './controlplane/scheduler/schedule_one.ts';
export { leastAllocatedScore, mostAllocatedScore, balancedAllocationScore, requestedToCapacityRatioScore, brokenLinearFunction } from './controlplane/scheduler/plugins/noderesources/scorers.ts';
export { runSchedulingCycle } from './controlplane/scheduler/cycle.ts';
export type { SchedulingCycleInput, SchedulingCycleResult, NodeCycleResult, PluginStatusView } from './controlplane/scheduler/cycle.ts';
export { parseSchedulerConfiguration, schedulerConfigurationFrom, SCHEDULER_CONFIG_API_VERSION } from './controlplane/scheduler/apis/parse.ts';
export { defaultConfiguration, defaultProfile, restrictedProfile } from './controlplane/scheduler/apis/types.ts';
export type { KubeSchedulerConfiguration, KubeSchedulerProfile, PluginSet } from './controlplane/scheduler/apis/types.ts';
export { Scheduler } from './controlplane/scheduler/scheduler.ts';
export type { SchedulerOptions, SchedulerEvent, SchedulerView, RecordedBinding } from './controlplane/scheduler/scheduler.ts';
export { calculateBackoffDurationTicks, DefaultPodInitialBackoffTicks, DefaultPodMaxBackoffTicks } from './controlplane/scheduler/queue/backoff.ts';
export { DEFAULT_PLUGINS, registry as schedulerPluginRegistry } from './controlplane/scheduler/plugins/registry.ts';
export type { PluginRef, PluginFactory } from './controlplane/scheduler/plugins/registry.ts';
export { MaxNodeScore, CycleState, newStatus } from './controlplane/scheduler/framework/interface.ts';
export type * from './controlplane/scheduler/framework/interface.ts';
export { runSchedulerWidget, DEFAULT_SCHEDULER_NODES_YAML, DEFAULT_SCHEDULER_POD_YAML, DEFAULT_SCHEDULER_PROFILE_YAML, WIDGET_MAX_NODES, WIDGET_MAX_PODS } from './controlplane/scheduler/widget.ts';
export type { SchedulerWidgetInput, SchedulingView, SchedulingRow } from './controlplane/scheduler/widget.ts';

// --- layer 3: controllers (sim/src/controlplane/controllers) ---
export { sha256Hex, sha256Bytes, utf8Bytes } from './core/sha256.ts';
export { resolveFenceposts, resolveFencepostsUndefaulted, newRSNewReplicas, maxSurgeOf, maxUnavailableOf, DEFAULT_MAX_SURGE, DEFAULT_MAX_UNAVAILABLE } from './controlplane/controllers/fenceposts.ts';
export type { Fenceposts } from './controlplane/controllers/fenceposts.ts';
export { activePodsLess, activePodsWithRanksLess, sortActivePods, getPodsToDelete, isPodActive } from './controlplane/controllers/active-pods.ts';
export { manageReplicas, calculateReplicaSetStatus, isPodAvailable, BURST_REPLICAS } from './controlplane/controllers/replicaset.ts';
export type { ReplicaSetAction } from './controlplane/controllers/replicaset.ts';
export type { SimPod, SimReplicaSet, SimDeployment, DeploymentStatus, DeploymentCondition, PodPhase } from './controlplane/controllers/types.ts';
export { syncDeployment } from './controlplane/controllers/deployment/controller.ts';
export type { DeploymentStore, ControllerEvent } from './controlplane/controllers/deployment/controller.ts';
export { rolloutUndo } from './controlplane/controllers/deployment/rollback.ts';
export { RolloutSimulation } from './controlplane/controllers/deployment/rollout-sim.ts';
export type { RolloutPoint, RolloutAction, RolloutSimOptions } from './controlplane/controllers/deployment/rollout-sim.ts';
export { checkRolloutPoint } from './controlplane/controllers/deployment/invariants.ts';
export { REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION } from './controlplane/controllers/deployment/util.ts';
export { runRollingUpdate, parseDeploymentYaml, DEFAULT_ROLLING_UPDATE_YAML } from './controlplane/controllers/run-rolling-update.ts';
export type { RollingUpdateView, RollingUpdateOptions } from './controlplane/controllers/run-rolling-update.ts';
export { runNodeLifecycle, parseNodeLifecycleScript, DEFAULT_NODE_LIFECYCLE_SCRIPT } from './controlplane/controllers/nodelifecycle/run-node-lifecycle.ts';
export type { NodeLifecycleView, NodeLifecyclePoint } from './controlplane/controllers/nodelifecycle/run-node-lifecycle.ts';
export { NodeLifecycleController, computeZoneState } from './controlplane/controllers/nodelifecycle/controller.ts';
export { TaintEvictionController, minTolerationSeconds } from './controlplane/controllers/nodelifecycle/taint-eviction.ts';
export * as nodeLifecycleDefaults from './controlplane/controllers/nodelifecycle/defaults.ts';

// --- node: kubelet, kube-proxy (sim/src/node) ---
export { computeProbability, formatGoFixed, iptablesSaveProbability, kernelProbabilityFixed } from './node/kube-proxy/probability.ts';
export { servicePortChainName, servicePortEndpointChainName, portProtoHash, serviceExternalChainName, nftHashAndTruncate, nftServicePortChainNameBase, nftServicePortEndpointChainNameBase } from './node/kube-proxy/chain-names.ts';
export { base32StdEncode } from './node/kube-proxy/base32.ts';
export { parseServicesAndEndpoints } from './node/kube-proxy/model.ts';
export type { ServicePortInfo, EndpointInfo } from './node/kube-proxy/model.ts';
export { buildNatTable, renderIptablesRestore, MASQUERADE_MARK } from './node/kube-proxy/iptables.ts';
export type { IptRule, NatTable } from './node/kube-proxy/iptables.ts';
export { buildVirtualServers, ipvsSchedule, renderIpvsadm, hash32 } from './node/kube-proxy/ipvs.ts';
export type { VirtualServer, IpvsScheduler } from './node/kube-proxy/ipvs.ts';
export { renderNftables } from './node/kube-proxy/nftables.ts';
export { runKubeProxy, DEFAULT_KUBE_PROXY_YAML, KUBE_PROXY_MAX_CONNECTIONS } from './node/kube-proxy/run-kube-proxy.ts';
export type { KubeProxyView, KubeProxyOptions, KubeProxyMode } from './node/kube-proxy/run-kube-proxy.ts';

// --- Layer 1 OOM / QoS widget: the node's memory capacity (l1b) ---
export { parseNodeMemoryCapacity, DEFAULT_QOS_OOM_NODE } from './node/kubelet/qos/node-capacity.ts';
export { containerMemoryFiles, CGROUP_PAGE_SIZE } from './node/kubelet/cm/memory-qos.ts';
export type { MemoryQoSConfig, MemoryQoSFiles } from './node/kubelet/cm/memory-qos.ts';
// --- l1a: Layer 1 namespaces page (English default script) ---
export { DEFAULT_NAMESPACES_SCRIPT_EN, NETNS_DIR } from './kernel/namespaces/script.ts';
export { CLONE_PARENT } from './kernel/namespaces/flags.ts';
export type { NetNsView, NetDeviceView } from './kernel/namespaces/view.ts';
// --- layer 3: kubelet (sim/src/node/kubelet) — l3kubelet ---
// Node registration + allocatable, pod informer (spec.nodeName), admission,
// CRI sandbox/containers through Layer 2's containerd, probes, crash-loop
// back-off, status writes through the apiserver; the kubelet-pod widget runner.
export { Kubelet, formatDuration as formatKubeletDuration } from './node/kubelet/kubelet.ts';
export type { KubeletOptions, KubeletEvent, KubeletEventKind, ContainerInstance as KubeletContainerInstance, PodRecord as KubeletPodRecord } from './node/kubelet/kubelet.ts';
export {
  CrashLoopBackoff, PROBE_DEFAULTS, probeWithDefaults, DEFAULT_EVICTION_HARD, INITIAL_CRASH_LOOP_BACKOFF_S, MAX_CRASH_LOOP_BACKOFF_S,
  CRASH_LOOP_BACKOFF_RESET_S, REDUCED_INITIAL_CRASH_LOOP_BACKOFF_S, REDUCED_MAX_CRASH_LOOP_BACKOFF_S, PLEG_RELIST_PERIOD_S, POD_WORKER_BACKOFF_S,
} from './node/kubelet/defaults.ts';
export { computeAllocatable, toResourceList as allocatableResourceList } from './node/kubelet/nodestatus/allocatable.ts';
export type { NodeResources, NodeResourceConfig, AllocatableBreakdown } from './node/kubelet/nodestatus/allocatable.ts';
export { admitPod } from './node/kubelet/lifecycle/admit.ts';
export { ProbeWorker, runProbe } from './node/kubelet/prober/worker.ts';
export type { ProbeType, ProbeResult } from './node/kubelet/prober/worker.ts';
export { parseBehaviour, BEHAVIOUR_MAX_LINES, RUN_MAX_SECONDS } from './node/kubelet/behaviour.ts';
export type { Behaviour } from './node/kubelet/behaviour.ts';
export { rankMemoryPressure } from './node/kubelet/eviction/rank.ts';
export type { EvictionCandidate } from './node/kubelet/eviction/rank.ts';
export { runKubeletPod, DEFAULT_KUBELET_POD, DEFAULT_KUBELET_BEHAVIOUR, KUBELET_POD_NODE_CAPACITY, KUBELET_POD_MAX_CONTAINERS } from './node/kubelet/widget/run-kubelet-pod.ts';
export type { KubeletPodView, KubeletPodSample, KubeletPodRestart } from './node/kubelet/widget/run-kubelet-pod.ts';

// --- world (sim/src/world.ts) — l3kubelet ---
// The one place that wires the layers: Deployment through the Raft-replicated
// apiserver → Deployment/ReplicaSet controllers → scheduler binding → kubelets
// starting pods through containerd (CNI IP) → EndpointSlice → kube-proxy rules →
// a ClusterIP packet DNATed to a running pod. kube-proxy is used only through
// parseServicesAndEndpoints / loadKubeProxyRules, and the packet runs through
// Layer 1's NetfilterHost.
export { runWorld, WORLD_MANIFESTS } from './world.ts';
export type { WorldOptions, WorldRun } from './world.ts';
export { desiredEndpointSlice } from './controlplane/controllers/endpointslice/reconcile.ts';
// --- l1net: kube-proxy rules executed by the Layer 1 netfilter model ---
export { loadKubeProxyRules, kubeProxyNetfilterHost, kubeProxyNodeHost, KUBE_PROXY_NODE_IP, KUBE_PROXY_CLUSTER_CIDR } from './node/kube-proxy/netfilter.ts';
export type { LoadedRules } from './node/kube-proxy/netfilter.ts';
export type { Distribution as KubeProxyDistribution, EndpointCount as KubeProxyEndpointCount } from './node/kube-proxy/run-kube-proxy.ts';
export { RECENT_PKT_LIST_TOT } from './kernel/netfilter/matchEval.ts';
export { DEFAULT_STICKY_MAX_AGE_SECONDS, KUBE_PROXY_MAX_ENDPOINTS } from './node/kube-proxy/model.ts';
// --- layer 0 pages (helper l0): CPU requests/limits in the cores model, reusable data caches ---
export { parseMilliCpu, sharesForMilliCpu, CPU_PERIOD_MS } from './hardware/cpu/widget.ts';
export type { GroupSpec } from './hardware/cpu/cores.ts';
export { newDataCaches } from './hardware/memory/access.ts';
export { STLB_HIT_NS } from './hardware/memory/hierarchy.ts';
