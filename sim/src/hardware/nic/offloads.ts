/**
 * Segmentation offloads on the send side, as numbers (Layer 0 "NIC":
 * TSO/GSO). Without offload the TCP stack builds one packet per MSS; with
 * TSO the stack builds packets of up to gso_max_size (64 KiB) and the NIC
 * cuts them into MSS-sized frames; GSO does the same cut in software just
 * before the driver (Documentation/networking/segmentation-offloads.rst).
 */
import { GSO_MAX_SIZE } from './costs.ts';

export interface SegmentationView {
  bytes: number;
  mss: number;
  /** Frames on the wire, whatever does the cutting. */
  wireFrames: number;
  /** Times a packet travels down the TCP/IP stack. */
  stackPasses: { none: number; gso: number; tso: number };
  /** Who cuts the 64 KiB packets into MSS frames. */
  segmentedBy: { none: 'tcp'; gso: 'software (before the driver)'; tso: 'NIC' };
}

export function segmentation(bytes: number, mss: number): SegmentationView {
  const wireFrames = Math.ceil(bytes / mss);
  // A GSO packet carries a whole number of MSS-sized segments within 64 KiB.
  const segsPerSuper = Math.max(1, Math.floor((GSO_MAX_SIZE - 200) / mss));
  const supers = Math.ceil(wireFrames / segsPerSuper);
  return {
    bytes, mss, wireFrames,
    stackPasses: { none: wireFrames, gso: supers, tso: supers },
    segmentedBy: { none: 'tcp', gso: 'software (before the driver)', tso: 'NIC' },
  };
}

/** MSS for an MTU: IPv4 (20) + TCP (20) + timestamps option (12) = 52 bytes of headers → 1448 for MTU 1500. */
export function mssForMtu(mtu: number, timestamps = true): number {
  return mtu - 40 - (timestamps ? 12 : 0);
}
