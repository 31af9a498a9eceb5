/**
 * Hardware virtualisation as data (Layer 0 "CPU": VT-x / AMD-V, EPT / NPT).
 *
 * With VT-x the CPU runs guest code directly in VMX non-root mode and traps
 * only sensitive operations (VM exits). With EPT (Intel) / NPT (AMD) the
 * MMU translates guest-virtual → guest-physical → host-physical in
 * hardware. A TLB miss then costs a two-dimensional walk: each of the
 * guest's page-table references is itself a guest-physical address that
 * needs a host walk, so an n-level guest over an m-level host costs
 * (n + 1)(m + 1) − 1 memory references: 24 for 4-level on 4-level
 * (Bhargava et al., "Accelerating two-dimensional page walks for
 * virtualized systems", ASPLOS 2008), 35 with 5-level paging on both.
 * Huge pages on either side shorten both walks — one reason nodes that run
 * VMs (and Kata-style sandboxed pods) use them.
 */

/** Memory references of a TLB-miss page walk, native or nested (2D). */
export function pageWalkReferences(guestLevels: number, hostLevels = 0): number {
  if (hostLevels === 0) return guestLevels;
  return (guestLevels + 1) * (hostLevels + 1) - 1;
}

export const VIRTUALIZATION_FEATURES = [
  { name: 'Intel VT-x / AMD-V', what: 'run guest code natively; trap sensitive instructions as VM exits', cpuFlag: 'vmx / svm' },
  { name: 'EPT / NPT (SLAT)', what: 'hardware second-level address translation, no shadow page tables', cpuFlag: 'ept / npt' },
  { name: 'VPID / ASID', what: 'tag TLB entries per VM so a VM switch need not flush the TLB', cpuFlag: 'vpid' },
] as const;

/** The walk-cost table the chapter prints: native vs nested, 4 KiB vs 2 MiB leaves. */
export function pageWalkTable(): { setup: string; references: number }[] {
  return [
    { setup: 'native, 4-level, 4 KiB pages', references: pageWalkReferences(4) },
    { setup: 'native, 4-level, 2 MiB pages', references: pageWalkReferences(3) },
    { setup: 'VM (EPT), 4-level guest on 4-level host', references: pageWalkReferences(4, 4) },
    { setup: 'VM (EPT), 2 MiB pages in guest and host', references: pageWalkReferences(3, 3) },
    { setup: 'VM (EPT), 5-level guest on 5-level host', references: pageWalkReferences(5, 5) },
  ];
}
