/**
 * The Toeplitz hash that RSS NICs compute over a packet's addresses and
 * ports (Microsoft "RSS hashing functions", NdisHashFunctionToeplitz; the
 * same function as Linux's software `toeplitz` self-test in
 * tools/testing/selftests/drivers/net/hw/toeplitz.c). For every set bit of
 * the input, left to right, XOR in the leftmost 32 bits of the key, then
 * shift the key left by one bit.
 *
 * Input byte order (Microsoft "RSS hashing functions"): source address,
 * destination address, then source port and destination port, all in network
 * byte order (big-endian).
 *
 * The default key below is the one in Microsoft's RSS verification suite
 * (also the example key of the Intel 82599 datasheet §7.1.2.8.3). Linux
 * itself fills a random key at boot (`netdev_rss_key_fill()` in
 * net/core/ethtool.c; `ethtool -x eth0` shows it), so two Linux hosts spread
 * the same flows differently; the sim uses the published key so the
 * textbook's numbers can be checked against the published vectors.
 */

/** Microsoft's 40-byte verification key. */
export const MICROSOFT_RSS_KEY: readonly number[] = [
  0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67,
  0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb,
  0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30,
  0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
];

/**
 * Toeplitz hash of `input` under `key` (unsigned 32-bit result).
 * Invariant: the key must have at least input.length + 4 bytes, so every
 * input bit has 32 key bits to its right (40 bytes cover IPv6 + ports: 36).
 */
export function toeplitzHash(input: ArrayLike<number>, key: ArrayLike<number> = MICROSOFT_RSS_KEY): number {
  if (key.length < input.length + 4) throw new RangeError(`Toeplitz key of ${key.length} bytes is too short for ${input.length} input bytes`);
  let result = 0;
  // The 32-bit window of the key that lines up with the current input bit.
  let window = ((key[0]! << 24) | (key[1]! << 16) | (key[2]! << 8) | key[3]!) >>> 0;
  for (let i = 0; i < input.length; i++) {
    const byte = input[i]!;
    const next = key[i + 4]!;
    for (let bit = 7; bit >= 0; bit--) {
      if ((byte >> bit) & 1) result = (result ^ window) >>> 0;
      // Shift the window one bit left, pulling in the next key bit.
      window = ((window << 1) | ((next >> bit) & 1)) >>> 0;
    }
  }
  return result >>> 0;
}

/** "10.0.0.1" → 4 bytes (network order); undefined when malformed. */
export function ipv4Bytes(text: string): number[] | undefined {
  const parts = text.trim().split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    out.push(Number(p));
  }
  return out;
}

/** An IPv6 address in any RFC 4291 text form ("ff02::1") → 16 bytes; undefined when malformed. */
export function ipv6Bytes(text: string): number[] | undefined {
  const t = text.trim();
  const halves = t.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  const out: number[] = [];
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    const v = parseInt(g, 16);
    out.push(v >> 8, v & 0xff);
  }
  return out;
}

function portBytes(port: number): number[] {
  return [(port >> 8) & 0xff, port & 0xff];
}

/** A flow as RSS sees it. Ports are omitted for the 2-tuple (IP-only) hash type. */
export interface FlowTuple {
  src: string;
  dst: string;
  srcPort?: number;
  dstPort?: number;
}

/**
 * The RSS input for a flow: `@12-15, @16-19, @20-21, @22-23` for IPv4+TCP
 * (12 bytes), addresses only for the IP hash type (8 bytes), and the IPv6
 * equivalents (32 or 36 bytes). Returns undefined for a malformed address.
 */
export function rssInput(flow: FlowTuple, withPorts: boolean): number[] | undefined {
  const v6 = flow.src.includes(':');
  const parse = v6 ? ipv6Bytes : ipv4Bytes;
  const s = parse(flow.src);
  const d = parse(flow.dst);
  if (!s || !d) return undefined;
  const bytes = [...s, ...d];
  if (withPorts) bytes.push(...portBytes(flow.srcPort ?? 0), ...portBytes(flow.dstPort ?? 0));
  return bytes;
}

/** Toeplitz hash of a flow (4-tuple when `withPorts`, else 2-tuple). */
export function rssHash(flow: FlowTuple, withPorts: boolean, key: ArrayLike<number> = MICROSOFT_RSS_KEY): number | undefined {
  const input = rssInput(flow, withPorts);
  return input ? toeplitzHash(input, key) : undefined;
}
