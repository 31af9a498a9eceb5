/**
 * NIC receive path: coalescing, RSS spreading, ring drops, GRO, VXLAN
 * offload and SR-IOV, checked against what the Layer 0 "NIC" prose claims.
 */
import { describe, expect, it } from 'vitest';
import { runNicBurst, DEFAULT_NIC_BURST, type NicView } from '../../src/hardware/nic/widget.ts';
import { segmentation, mssForMtu } from '../../src/hardware/nic/offloads.ts';

function run(text: string, seed = 1): NicView {
  const r = runNicBurst(text, { seed });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

const spec = (nic: string, burst = 'packets: 10000\n  rate-mpps: 1.0\n  size: 1500\n  flows: 16\n  proto: tcp', cpus = 4) =>
  `cpus: ${cpus}\nnic:\n  queues: 4\n${nic.split('\n').map((l) => '  ' + l).join('\n')}\nburst:\n  ${burst}\n`;

describe('interrupt coalescing', () => {
  it('raising rx-usecs never increases the interrupt count', () => {
    let prev = Infinity;
    for (const us of [0, 5, 10, 25, 50, 100, 200, 500]) {
      const v = run(spec(`rx-usecs: ${us}\nrx-frames: 0`));
      expect(v.interrupts, `rx-usecs ${us}`).toBeLessThanOrEqual(prev);
      prev = v.interrupts;
    }
    expect(prev).toBeLessThan(run(spec('rx-usecs: 0\nrx-frames: 0')).interrupts / 10);
  });
  it('raising rx-frames never increases the interrupt count', () => {
    let prev = Infinity;
    for (const f of [1, 2, 4, 8, 16, 32, 64]) {
      const v = run(spec(`rx-usecs: 1000\nrx-frames: ${f}`));
      expect(v.interrupts, `rx-frames ${f}`).toBeLessThanOrEqual(prev);
      prev = v.interrupts;
    }
  });
  it('rx-usecs 0 interrupts per packet with the lowest latency', () => {
    const per = run(spec('rx-usecs: 0\nrx-frames: 0'));
    const coal = run(spec('rx-usecs: 100\nrx-frames: 0'));
    expect(per.interrupts).toBe(per.delivered);
    expect(per.latencyUs.mean).toBeLessThan(coal.latencyUs.mean);
  });
});

describe('RSS', () => {
  it('spreads TCP flows across queues and CPUs; rss off puts all on CPU 0', () => {
    const on = run(spec('rss: true'));
    const off = run(spec('rss: false'));
    expect(on.perCpu.filter((c) => c.packets > 0).length).toBeGreaterThan(1);
    expect(off.perCpu.slice(1).every((c) => c.packets === 0)).toBe(true);
    expect(off.perCpu[0]!.softirqLoad).toBeGreaterThan(Math.max(...on.perCpu.map((c) => c.softirqLoad)));
  });
  it('VXLAN between two nodes lands on one queue unless the NIC hashes the inner headers', () => {
    const burst = 'packets: 20000\n  rate-mpps: 1.0\n  size: 1500\n  flows: 32\n  proto: vxlan';
    const without = run(spec('vxlan-offload: false\nudp-hash: sd', burst));
    const withOff = run(spec('vxlan-offload: true', burst));
    expect(without.perQueue.filter((q) => q.packets > 0).length).toBe(1);
    expect(withOff.perQueue.filter((q) => q.packets > 0).length).toBeGreaterThan(1);
    // sdfn hashes the outer UDP source port, which VXLAN derives from the inner flow.
    const sdfn = run(spec('vxlan-offload: false\nudp-hash: sdfn', burst));
    expect(sdfn.perQueue.filter((q) => q.packets > 0).length).toBeGreaterThan(1);
  });
  it('uses the default indirection table i % queues', () => {
    const v = run(DEFAULT_NIC_BURST);
    for (const f of v.flows) expect(f.queue).toBe(f.indirIndex % 4);
  });
});

describe('rings, NAPI and offloads', () => {
  it('drops when the ring is full and the CPU cannot keep up', () => {
    const burst = 'packets: 50000\n  rate-mpps: 5\n  size: 64\n  flows: 4\n  proto: udp';
    const small = run(spec('rss: false\nring: 256\ngro: false', burst));
    const big = run(spec('rss: false\nring: 4096\ngro: false', burst));
    expect(small.drops).toBeGreaterThan(0);
    expect(big.drops).toBeLessThan(small.drops);
    expect(small.delivered + small.drops).toBe(50000);
  });
  it('GRO hands fewer, larger packets to the stack and lowers CPU load', () => {
    const on = run(spec('gro: true\nrx-usecs: 100'));
    const off = run(spec('gro: false\nrx-usecs: 100'));
    expect(on.groRatio).toBeLessThan(0.5);
    expect(off.groRatio).toBe(1);
    const load = (v: NicView) => v.perCpu.reduce((a, c) => a + c.softirqLoad, 0);
    expect(load(on)).toBeLessThan(load(off));
  });
  it('software checksums cost CPU when rx-checksum is off', () => {
    const load = (v: NicView) => v.perCpu.reduce((a, c) => a + c.softirqLoad, 0);
    expect(load(run(spec('rx-checksum: false')))).toBeGreaterThan(load(run(spec('rx-checksum: true'))));
  });
  it('SR-IOV VF traffic bypasses the host CPUs', () => {
    const v = run(spec('sriov-vfs: 2', 'packets: 20000\n  rate-mpps: 1.0\n  size: 1500\n  flows: 16\n  proto: tcp\n  vf-flows: 8'));
    expect(v.toVfs).toBeGreaterThan(0);
    expect(v.toVfs + v.delivered + v.drops).toBe(20000);
    expect(v.vfs.map((x) => x.flows)).toEqual([4, 4]);
  });
  it('TSO/GSO: 1 MiB at MSS 1448 is 725 frames but 17 trips down the stack', () => {
    expect(mssForMtu(1500)).toBe(1448);
    const s = segmentation(1024 * 1024, 1448);
    expect(s.wireFrames).toBe(725);
    expect(s.stackPasses).toEqual({ none: 725, gso: 17, tso: 17 });
  });
});

describe('runNicBurst input', () => {
  it('locates errors and refuses absurd bursts', () => {
    const r = runNicBurst('cpus: 4\nnic:\n  queues: 4\n  rx-usec: 5\nburst:\n  packets: 5000000\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.path, e.line, e.code])).toEqual([
      ['nic.rx-usec', 4, 'FIELD_UNKNOWN'],
      ['burst.packets', 6, 'LIMIT_EXCEEDED'],
    ]);
  });
  it('is deterministic per seed', () => {
    expect(run(DEFAULT_NIC_BURST, 9)).toEqual(run(DEFAULT_NIC_BURST, 9));
  });
});
