/**
 * The named steps of the Linux IPv4 receive and send paths, so a trace can
 * show where netfilter's hooks sit between the NIC and recv().
 * Upstream (Linux v6.12+): `net/core/dev.c` (`napi_schedule`, `net_rx_action`,
 * `napi_gro_receive`, `__netif_receive_skb_core`, `dev_queue_xmit`),
 * `net/ipv4/ip_input.c` (`ip_rcv` → NF_INET_PRE_ROUTING → `ip_rcv_finish` →
 * `ip_route_input_noref` → `ip_local_deliver` → NF_INET_LOCAL_IN →
 * `ip_local_deliver_finish`), `net/ipv4/ip_forward.c` (`ip_forward` →
 * NF_INET_FORWARD → `ip_forward_finish`), `net/ipv4/ip_output.c`
 * (`__ip_local_out` → NF_INET_LOCAL_OUT, `ip_output` → NF_INET_POST_ROUTING
 * → `ip_finish_output2`), `net/ipv4/tcp_ipv4.c` (`tcp_v4_rcv`,
 * `tcp_v4_send_reset`), `net/ipv4/udp.c` (`udp_rcv`).
 */
export interface PathStage {
  fn: string;
  text: string;
}

export function rxStages(dev: string): PathStage[] {
  return [
    { fn: 'NIC', text: `a frame arrives on ${dev}; the NIC DMAs it into the next RX ring descriptor` },
    { fn: 'IRQ', text: 'the NIC raises an interrupt; the driver masks it and calls napi_schedule()' },
    { fn: 'net_rx_action', text: 'NET_RX_SOFTIRQ runs the driver\'s NAPI poll(), which drains the ring within its budget' },
    { fn: 'napi_gro_receive', text: 'the driver wraps the buffer in an sk_buff (skb->dev = ' + dev + ')' },
    { fn: '__netif_receive_skb_core', text: 'netif_receive_skb: taps (tcpdump) see the packet, then the ETH_P_IP handler' },
    { fn: 'ip_rcv', text: 'IPv4 header checks, then NF_HOOK(NF_INET_PRE_ROUTING)' },
  ];
}

export const LOOPBACK_STAGES: PathStage[] = [
  { fn: 'loopback_xmit', text: 'the packet is addressed to this host: lo hands it straight back (netif_rx)' },
  { fn: 'ip_rcv', text: 'received again on lo: NF_HOOK(NF_INET_PRE_ROUTING)' },
];

export function txLocalStages(proto: string): PathStage[] {
  return [
    { fn: 'send()', text: 'a process writes to its socket' },
    { fn: proto === 'udp' ? 'udp_sendmsg' : proto === 'tcp' ? 'tcp_sendmsg' : 'raw_sendmsg', text: 'the transport builds the segment in an sk_buff' },
    { fn: 'ip_queue_xmit', text: 'routing (ip_route_output) picks the out device, then __ip_local_out: NF_HOOK(NF_INET_LOCAL_OUT)' },
  ];
}

export function deliverStages(proto: string, port: number): PathStage[] {
  const rcv = proto === 'tcp' ? 'tcp_v4_rcv' : proto === 'udp' ? 'udp_rcv' : 'icmp_rcv';
  return [
    { fn: 'ip_local_deliver_finish', text: 'hand the packet to the transport protocol' },
    { fn: rcv, text: proto === 'icmp' ? 'ICMP handled in the kernel (e.g. echo reply)' : `look up the socket for port ${port} (__inet_lookup_skb)` },
    ...(proto === 'icmp' ? [] : [{ fn: 'sk_data_ready', text: 'data queued on the socket\'s receive queue; the waiting process wakes' }, { fn: 'recv()', text: 'the application copies the data to user space' }]),
  ];
}

export function txStages(dev: string): PathStage[] {
  return [
    { fn: 'ip_finish_output2', text: 'neighbour (ARP) lookup for the next hop, Ethernet header' },
    { fn: 'dev_queue_xmit', text: `the qdisc of ${dev} queues the packet` },
    { fn: 'ndo_start_xmit', text: `the driver puts it on ${dev}'s TX ring; the NIC DMAs it out` },
  ];
}
