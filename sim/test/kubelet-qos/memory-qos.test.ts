/**
 * memory.high / memory.min / memory.low as the kubelet writes them with
 * MemoryQoS (kuberuntime_container_linux.go; KEP-2570 "Alpha v1.27" formula,
 * v1.36 memoryReservationPolicy, v1.37 null default factor).
 */
import { describe, expect, it } from 'vitest';
import { containerMemoryFiles } from '../../src/node/kubelet/cm/memory-qos.ts';

const Mi = 2 ** 20;
const on = { throttlingFactor: 0.9, reservationPolicy: 'None' as const };

describe('containerMemoryFiles', () => {
  it('v1.37 default (factor null, policy None): only memory.max', () => {
    expect(containerMemoryFiles('Burstable', 256 * Mi, 1024 * Mi, 4096 * Mi, { throttlingFactor: null, reservationPolicy: 'None' })).toEqual({ maxBytes: 1024 * Mi, highBytes: null, minBytes: null, lowBytes: null });
  });
  it('KEP example: request 256Mi, limit 512Mi, factor 0.9 → 486.4Mi rounded down to a page', () => {
    const f = containerMemoryFiles('Burstable', 256 * Mi, 512 * Mi, 4096 * Mi, on);
    expect(f.highBytes).toBe(Math.floor((256 * Mi + 0.9 * 256 * Mi) / 4096) * 4096);
    expect(f.highBytes! % 4096).toBe(0);
  });
  it('no limit: the node allocatable stands in for it; BestEffort (0/0) too', () => {
    expect(containerMemoryFiles('Burstable', 1024 * Mi, null, 8192 * Mi, on).highBytes).toBe(Math.floor((1024 * Mi + 0.9 * 7168 * Mi) / 4096) * 4096);
    expect(containerMemoryFiles('BestEffort', 0, null, 8192 * Mi, on).highBytes).toBe(Math.floor((0.9 * 8192 * Mi) / 4096) * 4096);
  });
  it('request == limit (a Guaranteed container): no memory.high', () => {
    expect(containerMemoryFiles('Guaranteed', 512 * Mi, 512 * Mi, 4096 * Mi, on).highBytes).toBeNull();
  });
  it('TieredReservation: Guaranteed → memory.min, Burstable → memory.low, BestEffort → neither', () => {
    const t = { throttlingFactor: null, reservationPolicy: 'TieredReservation' as const };
    expect(containerMemoryFiles('Guaranteed', 512 * Mi, 512 * Mi, 4096 * Mi, t)).toMatchObject({ minBytes: 512 * Mi, lowBytes: null });
    expect(containerMemoryFiles('Burstable', 512 * Mi, null, 4096 * Mi, t)).toMatchObject({ minBytes: null, lowBytes: 512 * Mi });
    expect(containerMemoryFiles('BestEffort', 0, null, 4096 * Mi, t)).toMatchObject({ minBytes: null, lowBytes: null });
  });
});
