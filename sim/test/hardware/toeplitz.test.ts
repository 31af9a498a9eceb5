/**
 * The Microsoft RSS verification suite ("Verifying the RSS hash calculation",
 * learn.microsoft.com/windows-hardware/drivers/network/verifying-the-rss-hash-calculation),
 * the same table as Intel 82599 datasheet §7.1.2.8.3 and DPDK app/test/test_thash.c.
 * Columns: destination, source, IP-only hash, hash with TCP ports.
 */
import { describe, expect, it } from 'vitest';
import { toeplitzHash, rssHash, ipv6Bytes, MICROSOFT_RSS_KEY } from '../../src/hardware/nic/toeplitz.ts';

const V4: [string, number, string, number, number, number][] = [
  ['161.142.100.80', 1766, '66.9.149.187', 2794, 0x323e8fc2, 0x51ccc178],
  ['65.69.140.83', 4739, '199.92.111.2', 14230, 0xd718262a, 0xc626b0ea],
  ['12.22.207.184', 38024, '24.19.198.95', 12898, 0xd2d0a5de, 0x5c2b394a],
  ['209.142.163.6', 2217, '38.27.205.30', 48228, 0x82989176, 0xafc7327f],
  ['202.188.127.2', 1303, '153.39.163.191', 44251, 0x5d1809c5, 0x10e828a2],
];

const V6: [string, number, string, number, number, number][] = [
  ['3ffe:2501:200:3::1', 1766, '3ffe:2501:200:1fff::7', 2794, 0x2cc18cd5, 0x40207d3d],
  ['ff02::1', 4739, '3ffe:501:8::260:97ff:fe40:efab', 14230, 0x0f0c461c, 0xdde51bbf],
  ['fe80::200:f8ff:fe21:67cf', 38024, '3ffe:1900:4545:3:200:f8ff:fe21:67cf', 44251, 0x4b61e985, 0x02d1feef],
];

describe('Toeplitz RSS hash: Microsoft verification suite', () => {
  it.each(V4)('IPv4 %s:%i <- %s:%i', (dst, dstPort, src, srcPort, ipOnly, withTcp) => {
    expect(rssHash({ src, dst }, false)).toBe(ipOnly);
    expect(rssHash({ src, dst, srcPort, dstPort }, true)).toBe(withTcp);
  });
  it.each(V6)('IPv6 %s:%i <- %s:%i', (dst, dstPort, src, srcPort, ipOnly, withTcp) => {
    expect(rssHash({ src, dst }, false)).toBe(ipOnly);
    expect(rssHash({ src, dst, srcPort, dstPort }, true)).toBe(withTcp);
  });
  it('is linear: hash(a xor b) = hash(a) xor hash(b)', () => {
    const a = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const b = [200, 100, 50, 25, 12, 6, 3, 1, 0, 255, 128, 64];
    const x = a.map((v, i) => v ^ b[i]!);
    expect(toeplitzHash(x)).toBe((toeplitzHash(a) ^ toeplitzHash(b)) >>> 0);
  });
  it('rejects a key too short for the input', () => {
    expect(() => toeplitzHash(new Array(40).fill(1), MICROSOFT_RSS_KEY)).toThrow(RangeError);
  });
  it('parses compressed IPv6', () => {
    expect(ipv6Bytes('ff02::1')).toEqual([0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(ipv6Bytes('1::2::3')).toBeUndefined();
  });
});
