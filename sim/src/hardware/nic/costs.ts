/**
 * NIC and receive-path constants (Layer 0 "NIC"). Time unit for the NIC
 * model: 1 tick = 1 ns.
 *
 * Upstream defaults (Linux net/core/hotdata.c and include/linux/netdevice.h, v6.9+):
 * - NAPI_POLL_WEIGHT = 64: packets one napi->poll() may process;
 * - netdev_budget = 300 and netdev_budget_usecs = 2 jiffies (2000 µs at
 *   HZ=1000): what one net_rx_action() softirq run may spend before it
 *   stops and counts a `time_squeeze` (column 3 of /proc/net/softnet_stat);
 * - the default RSS indirection table spreads entries round-robin over
 *   the RX rings: ethtool_rxfh_indir_default(i, n) = i % n
 *   (include/linux/ethtool.h); 128 entries is a common size.
 * - ring sizes are set with `ethtool -G eth0 rx N` (typically 256–4096),
 *   coalescing with `ethtool -C eth0 rx-usecs U rx-frames F`.
 * - GRO builds packets up to 64 KiB (GRO_LEGACY_MAX_SIZE = 65536), and the
 *   stack hands TSO/GSO packets of up to gso_max_size = 65536 to the driver.
 *
 * Per-packet CPU costs are estimates for a ~3 GHz core (a Linux core
 * forwards or receives roughly 1–2 Mpps of small packets through the stack).
 */

export const NAPI_POLL_WEIGHT = 64;
export const NETDEV_BUDGET = 300;
export const NETDEV_BUDGET_USECS = 2000;
export const RSS_INDIR_TABLE_SIZE = 128;
export const GRO_MAX_SIZE = 65536;
export const GSO_MAX_SIZE = 65536;
/** VXLAN's IANA port (RFC 7348). */
export const VXLAN_PORT = 4789;

export const RX_COSTS_NS = {
  /** Hard interrupt: entry, ack, napi_schedule. */
  irq: 1000,
  /** Driver work per received frame: descriptor, DMA unmap, skb build, ring refill. */
  driverPerPacket: 150,
  /** IP + TCP/UDP receive processing per packet handed up the stack (after GRO). */
  stackPerPacket: 600,
  /** GRO per merged segment (flow lookup, header compare, append). */
  groPerSegment: 80,
  /** Software checksum per byte when the NIC did not verify it (~10 GB/s). */
  checksumPerByte: 0.1,
  /** VXLAN decapsulation per packet (udp_tunnel → vxlan_rcv). */
  vxlanDecap: 250,
} as const;
