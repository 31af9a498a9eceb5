/**
 * The built-in tables, their chains and where they sit on the netfilter hooks.
 * Upstream (Linux v6.12+): `include/uapi/linux/netfilter_ipv4.h`
 * (`enum nf_ip_hook_priorities`: NF_IP_PRI_RAW -300, NF_IP_PRI_CONNTRACK -200,
 * NF_IP_PRI_MANGLE -150, NF_IP_PRI_NAT_DST -100, NF_IP_PRI_FILTER 0,
 * NF_IP_PRI_NAT_SRC 100, NF_IP_PRI_CONNTRACK_CONFIRM INT_MAX),
 * `net/ipv4/netfilter/iptable_{raw,mangle,nat,filter}.c` (valid hooks) and
 * `net/ipv4/netfilter/nf_nat_proto.c` (`nf_nat_ipv4_ops`: DNAT on
 * PRE_ROUTING/LOCAL_OUT, SNAT on POST_ROUTING/LOCAL_IN).
 */
export type TableName = 'raw' | 'mangle' | 'nat' | 'filter';

/** iptables' chain names for NF_INET_PRE_ROUTING, LOCAL_IN, FORWARD, LOCAL_OUT, POST_ROUTING. */
export type Hook = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';

export const HOOKS: readonly Hook[] = ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'];

/** Kernel enum names, shown next to iptables' chain names in traces. */
export const NF_INET_HOOK_NAME: Record<Hook, string> = {
  PREROUTING: 'NF_INET_PRE_ROUTING',
  INPUT: 'NF_INET_LOCAL_IN',
  FORWARD: 'NF_INET_FORWARD',
  OUTPUT: 'NF_INET_LOCAL_OUT',
  POSTROUTING: 'NF_INET_POST_ROUTING',
};

export const TABLE_NAMES: readonly TableName[] = ['raw', 'mangle', 'nat', 'filter'];

/** Built-in chains of each table, in the order iptables-save prints them. */
export const BUILTIN_CHAINS: Record<TableName, readonly Hook[]> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
};

export const NF_IP_PRI_RAW = -300;
export const NF_IP_PRI_CONNTRACK = -200;
export const NF_IP_PRI_MANGLE = -150;
export const NF_IP_PRI_NAT_DST = -100;
export const NF_IP_PRI_FILTER = 0;
export const NF_IP_PRI_NAT_SRC = 100;
export const NF_IP_PRI_CONNTRACK_CONFIRM = 2147483647;

export interface HookEntry {
  kind: 'table' | 'conntrack' | 'confirm';
  table?: TableName;
  priority: number;
}

function nat(hook: Hook): number {
  return hook === 'PREROUTING' || hook === 'OUTPUT' ? NF_IP_PRI_NAT_DST : NF_IP_PRI_NAT_SRC;
}

const ENTRIES = new Map<Hook, readonly HookEntry[]>();

/** Everything registered on `hook`, sorted by priority (lowest runs first). */
export function hookEntries(hook: Hook): readonly HookEntry[] {
  let e = ENTRIES.get(hook);
  if (!e) ENTRIES.set(hook, (e = computeHookEntries(hook)));
  return e;
}

function computeHookEntries(hook: Hook): HookEntry[] {
  const out: HookEntry[] = [];
  const prio: Record<TableName, number> = { raw: NF_IP_PRI_RAW, mangle: NF_IP_PRI_MANGLE, nat: nat(hook), filter: NF_IP_PRI_FILTER };
  for (const t of TABLE_NAMES) if (BUILTIN_CHAINS[t].includes(hook)) out.push({ kind: 'table', table: t, priority: prio[t] });
  if (hook === 'PREROUTING' || hook === 'OUTPUT') out.push({ kind: 'conntrack', priority: NF_IP_PRI_CONNTRACK });
  if (hook === 'INPUT' || hook === 'POSTROUTING') out.push({ kind: 'confirm', priority: NF_IP_PRI_CONNTRACK_CONFIRM });
  return out.sort((a, b) => a.priority - b.priority);
}

export function isBuiltinChain(table: TableName, chain: string): chain is Hook {
  return (BUILTIN_CHAINS[table] as readonly string[]).includes(chain);
}
