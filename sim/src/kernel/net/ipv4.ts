/**
 * IPv4 addresses as unsigned 32-bit integers, and CIDR prefixes.
 * Upstream: iptables 1.8 `libxtables/xtables.c` (`xtables_ipparse_any`,
 * `xtables_ipmask_to_numeric`): a bare address means /32, a mask may be a
 * prefix length or a dotted quad, and iptables-save prints `/len`.
 * Invariant: every `Ipv4` is an integer in [0, 2^32 - 1].
 */
export type Ipv4 = number;

export interface Cidr {
  /** Network address with the host bits cleared. */
  addr: Ipv4;
  /** Prefix length in [0, 32]. */
  prefixLen: number;
}

/** Parses a dotted quad (`10.96.0.1`); undefined if it is not one. */
export function parseIpv4(text: string): Ipv4 | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export function formatIpv4(ip: Ipv4): string {
  return [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.');
}

/** The netmask for a prefix length: 24 → 0xffffff00. */
export function prefixMask(prefixLen: number): number {
  return prefixLen === 0 ? 0 : (0xffffffff << (32 - prefixLen)) >>> 0;
}

/**
 * `10.0.0.0/8`, `10.0.0.1` (= /32) or `10.0.0.0/255.0.0.0`. Non-contiguous
 * dotted masks are refused (the simulator keeps only prefix masks).
 */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const addr = parseIpv4(slash < 0 ? text : text.slice(0, slash));
  if (addr === undefined) return undefined;
  let prefixLen = 32;
  if (slash >= 0) {
    const m = text.slice(slash + 1);
    if (/^\d{1,2}$/.test(m) && Number(m) <= 32) prefixLen = Number(m);
    else {
      const mask = parseIpv4(m);
      if (mask === undefined) return undefined;
      const len = 32 - Math.log2(((~mask >>> 0) + 1) || 2 ** 32);
      if (!Number.isInteger(len) || prefixMask(len) !== mask) return undefined;
      prefixLen = len;
    }
  }
  return { addr: (addr & prefixMask(prefixLen)) >>> 0, prefixLen };
}

export function formatCidr(c: Cidr): string {
  return `${formatIpv4(c.addr)}/${c.prefixLen}`;
}

export function cidrContains(c: Cidr, ip: Ipv4): boolean {
  return ((ip & prefixMask(c.prefixLen)) >>> 0) === c.addr;
}
