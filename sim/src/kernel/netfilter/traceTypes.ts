/**
 * What a packet trace records, as plain data. Rule steps follow the naming of
 * the kernel's TRACE target (`net/netfilter/nf_log_syslog.c` /
 * `nf_tables_trace.c`): `table:chain:rule:N`, `:return:N`, `:policy:N`.
 */
import type { CtState } from './types.ts';
import type { Hook, TableName } from './tables.ts';

export type TraceStep =
  /** A function on the receive/send path (NIC → … → recv()). */
  | { kind: 'stage'; fn: string; text: string }
  | { kind: 'hook'; hook: Hook; text: string }
  | { kind: 'table'; hook: Hook; table: TableName; priority: number; text: string }
  | { kind: 'rule'; table: TableName; chain: string; ruleNum: number; rule: string; matched: boolean; text: string }
  | { kind: 'jump'; table: TableName; chain: string; to: string; goto: boolean; text: string }
  | { kind: 'return'; table: TableName; chain: string; text: string }
  | { kind: 'policy'; table: TableName; chain: string; policy: 'ACCEPT' | 'DROP'; text: string }
  | { kind: 'verdict'; table: TableName; chain: string; verdict: 'ACCEPT' | 'DROP' | 'REJECT'; text: string }
  | { kind: 'conntrack'; states: CtState[]; created: boolean; text: string }
  | { kind: 'nat'; manip: 'DNAT' | 'SNAT'; by: 'rule' | 'conntrack'; text: string }
  | { kind: 'route'; text: string }
  | { kind: 'mark' | 'log'; text: string };
