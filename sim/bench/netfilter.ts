/**
 * netfilter + OverlayFS throughput. A kube-proxy-shaped nat table for 600
 * Services × 3 endpoints (4,200 rules, near RULES_MAX) is parsed from
 * iptables-save text, printed back, and 100,000 new connections to random
 * Services are walked through the hooks (KUBE-SERVICES is a linear scan, as
 * in iptables mode: this is why kube-proxy moved to nftables/IPVS for large
 * clusters). Then 2,000 random shell commands run on an OverlayFS mount.
 * Prints one line per measurement.
 *
 * Run: node --experimental-strip-types sim/bench/netfilter.ts
 */
import { NetfilterHost, OverlayFs, Filesystem, Prng, formatIptablesSave, overlayShellFs, parseCidr, parseIptables, runShell } from '../src/index.ts';

declare const console: { log(...args: unknown[]): void };
declare const performance: { now(): number };

const SERVICES = 600;
const lines = ['*nat', ':PREROUTING ACCEPT [0:0]', ':KUBE-SERVICES - [0:0]'];
const rules: string[] = ['-A PREROUTING -j KUBE-SERVICES'];
for (let s = 0; s < SERVICES; s++) {
  const vip = `10.96.${s >> 8}.${s & 255}`;
  lines.push(`:KUBE-SVC-${s} - [0:0]`);
  rules.push(`-A KUBE-SERVICES -d ${vip}/32 -p tcp -m tcp --dport 80 -j KUBE-SVC-${s}`);
  for (let e = 0; e < 3; e++) {
    lines.push(`:KUBE-SEP-${s}-${e} - [0:0]`);
    rules.push(e < 2 ? `-A KUBE-SVC-${s} -m statistic --mode random --probability ${e === 0 ? '0.33333333349' : '0.50000000000'} -j KUBE-SEP-${s}-${e}` : `-A KUBE-SVC-${s} -j KUBE-SEP-${s}-${e}`);
    rules.push(`-A KUBE-SEP-${s}-${e} -p tcp -m tcp -j DNAT --to-destination 10.244.${s & 255}.${e + 2}:8080`);
  }
}
const text = [...lines, ...rules, 'COMMIT', ''].join('\n');

let t0 = performance.now();
const rs = parseIptables(text);
const parseMs = performance.now() - t0;
if (!rs.ok) throw new Error(JSON.stringify(rs.errors[0]));
t0 = performance.now();
const saved = formatIptablesSave(rs.value);
const saveMs = performance.now() - t0;
console.log(`iptables: parse ${rules.length} rules in ${parseMs.toFixed(1)} ms, iptables-save in ${saveMs.toFixed(1)} ms (${saved.length} bytes)`);

const host = { addresses: [{ dev: 'eth0', ip: 0x0a00000b }], routes: [{ dst: parseCidr('0.0.0.0/0')!, dev: 'eth0' }], ipForward: true, listeners: [] };
const nf = new NetfilterHost(rs.value, host, new Prng(1));
const pick = new Prng(2);
const PACKETS = 100_000;
t0 = performance.now();
for (let i = 0; i < PACKETS; i++) {
  const s = pick.intBetween(0, SERVICES);
  nf.send({ proto: 'tcp', src: 0xc0a80100 + (i >> 16), sport: 1024 + (i & 0xffff) % 64000, dst: 0x0a600000 + s, dport: 80, inIface: 'eth0', mark: 0 }, { record: false });
}
const ms = performance.now() - t0;
console.log(`netfilter: ${Math.round(PACKETS / (ms / 1000))} new connections/s through ${rules.length} nat rules`);

const base = new Filesystem('base');
for (let i = 0; i < 200; i++) {
  base.mkdir(`/d${i}`);
  for (let j = 0; j < 5; j++) base.create(`/d${i}/f${j}`, 'file', { data: 'x' });
}
const o = new OverlayFs({ lowers: [base], upper: new Filesystem('upper'), work: new Filesystem('work') });
const fs = overlayShellFs(o);
const p = new Prng(3);
t0 = performance.now();
const OPS = 2000;
for (let i = 0; i < OPS; i++) {
  const path = `/d${p.intBetween(0, 200)}/f${p.intBetween(0, 6)}`;
  const k = p.intBetween(0, 3);
  runShell(fs, k === 0 ? { cmd: 'echo', text: 'y', path, append: true } : k === 1 ? { cmd: 'rm', path, recursive: false, force: true } : { cmd: 'cat', path });
}
console.log(`overlayfs: ${Math.round(OPS / ((performance.now() - t0) / 1000))} shell ops/s on a 1,200-inode lower layer`);
