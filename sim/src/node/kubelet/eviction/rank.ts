/**
 * Node-pressure eviction order for memory (pkg/kubelet/eviction/helpers.go
 * rankMemoryPressure, kubernetes master / v1.34):
 *   orderedBy(exceedMemoryRequests, priority, memory)
 * 1. pods whose memory usage exceeds their requests come first;
 * 2. then lower spec.priority first;
 * 3. then the larger usage above requests first.
 * QoS class is not a key any more (it was before v1.9); it only shows
 * through requests: a BestEffort pod requests 0, so any usage exceeds it,
 * and a Guaranteed pod at or below its limit (= request) never does.
 * The manager evicts one pod per monitoring interval (evictionMonitoringPeriod 10 s).
 */
export interface EvictionCandidate {
  name: string;
  priority: number;
  memoryRequestBytes: number;
  memoryUsageBytes: number;
}

export function rankMemoryPressure(pods: EvictionCandidate[]): EvictionCandidate[] {
  const exceeds = (p: EvictionCandidate) => p.memoryUsageBytes > p.memoryRequestBytes;
  const above = (p: EvictionCandidate) => p.memoryUsageBytes - p.memoryRequestBytes;
  return [...pods].sort((a, b) => {
    if (exceeds(a) !== exceeds(b)) return exceeds(a) ? -1 : 1;
    if (a.priority !== b.priority) return a.priority - b.priority;
    return above(b) - above(a);
  });
}
