/**
 * The line-based Raft scenario language, in the spirit of etcd-io/raft's
 * `testdata/*.txt` interaction scripts (datadriven: `add-nodes 3`,
 * `campaign 1`, `propose 1 foo`, `stabilize`). One command per line, `#`
 * starts a comment:
 *
 *   members 3 electionTicks=10 heartbeatTicks=1 snapshotCount=100 catchUpEntries=20
 *             dropRate=0 duplicateRate=0 delay=1-2 preVote=on checkQuorum=on
 *                          first command; options optional
 *   tick 30                advance time by 30 ticks
 *   tick until leader      advance until some member leads (at most 20 election timeouts)
 *   propose x=1            propose the rest of the line to the current leader
 *   propose-many 50 w      propose w-1 .. w-50
 *   crash 2 | crash leader stop a member (it keeps its WAL)
 *   restart 2 | restart all   start a member again (all = every crashed member)
 *   partition 1 | 2 3      cut the network; `leader` may stand for the leader's id;
 *                          members listed in no group form one more group
 *   heal                   reconnect everyone
 *   network dropRate=0.1 duplicateRate=0 delay=1-3
 *   status                 just take a frame
 *
 * Parsing is separate from running: a script with any error is rejected
 * whole, every error located by line and column.
 */
import { simError } from '../../../core/result.ts';
import type { Result, SimError } from '../../../core/result.ts';
import { RAFT_MAX_MEMBERS } from '../cluster.ts';
import type { RaftClusterOptions } from '../cluster.ts';
import type { NetworkOptions } from './network.ts';

export const RAFT_SCRIPT_LIMITS = {
  members: RAFT_MAX_MEMBERS,
  totalTicks: 100_000,
  proposals: 10_000,
  lines: 5_000,
  bytes: 200_000,
} as const;

/** `tick until leader` gives up after this many election timeouts. */
export const TICK_UNTIL_LEADER_MAX_ELECTIONS = 20;

/** A member named by id, or `leader` (resolved when the command runs). */
export type MemberRef = number | 'leader';

export type RaftCommand =
  | { op: 'members'; count: number; options: Partial<RaftClusterOptions> }
  | { op: 'tick'; ticks: number }
  /** Ticks until some live member is leader, at most maxTicks. */
  | { op: 'tick-until-leader'; maxTicks: number }
  | { op: 'propose'; data: string }
  | { op: 'propose-many'; count: number; prefix: string }
  | { op: 'crash'; target: MemberRef }
  | { op: 'restart'; target: number | 'all' }
  | { op: 'partition'; groups: MemberRef[][] }
  | { op: 'heal' }
  | { op: 'network'; options: Partial<NetworkOptions> }
  | { op: 'status' };

export type LocatedCommand = RaftCommand & { line: number; column: number; text: string };

export interface RaftScript {
  members: number;
  options: Partial<RaftClusterOptions>;
  commands: LocatedCommand[];
  totalTicks: number;
  totalProposals: number;
}

interface Token {
  text: string;
  column: number;
}

function tokenize(line: string): Token[] {
  const out: Token[] = [];
  const re = /\S+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null) out.push({ text: m[0], column: m.index + 1 });
  return out;
}

const COMMANDS = ['members', 'tick', 'propose', 'propose-many', 'crash', 'restart', 'partition', 'heal', 'network', 'status'];

/** Parses a script; every error carries line and column. */
export function parseRaftScript(text: string): Result<RaftScript> {
  const errors: SimError[] = [];
  if (text.length > RAFT_SCRIPT_LIMITS.bytes) {
    return { ok: false, errors: [simError('LIMIT_EXCEEDED', `script is longer than ${RAFT_SCRIPT_LIMITS.bytes} characters`, { line: 1, column: 1 })] };
  }
  const lines = text.split(/\r?\n/);
  if (lines.length > RAFT_SCRIPT_LIMITS.lines) {
    return { ok: false, errors: [simError('LIMIT_EXCEEDED', `script has more than ${RAFT_SCRIPT_LIMITS.lines} lines`, { line: RAFT_SCRIPT_LIMITS.lines + 1, column: 1 })] };
  }
  let members = 0;
  let options: Partial<RaftClusterOptions> = {};
  const commands: LocatedCommand[] = [];
  let totalTicks = 0;
  let totalProposals = 0;

  lines.forEach((raw, i) => {
    const line = i + 1;
    const hash = raw.indexOf('#');
    const body = hash >= 0 ? raw.slice(0, hash) : raw;
    const toks = tokenize(body);
    if (toks.length === 0) return;
    const [cmd, ...args] = toks as [Token, ...Token[]];
    const err = (code: string, message: string, at: Token = cmd) => errors.push(simError(code, message, { line, column: at.column }));
    const at = { line, column: cmd.column, text: body.trim() };

    if (!COMMANDS.includes(cmd.text)) {
      err('RAFT_SCRIPT_UNKNOWN_COMMAND', `unknown command "${cmd.text}" (expected one of: ${COMMANDS.join(', ')})`);
      return;
    }
    if (cmd.text === 'members') {
      if (members !== 0) return void err('RAFT_SCRIPT_DUPLICATE_MEMBERS', '`members` may appear only once');
      if (commands.length > 0) return void err('RAFT_SCRIPT_MEMBERS_FIRST', '`members` must be the first command');
      const n = args[0];
      if (!n) return void err('RAFT_SCRIPT_BAD_ARGUMENT', '`members` needs a count, e.g. `members 3`');
      const count = parseIntStrict(n.text);
      if (count === null || count < 1 || count > RAFT_SCRIPT_LIMITS.members) {
        return void err('LIMIT_EXCEEDED', `members must be an integer from 1 to ${RAFT_SCRIPT_LIMITS.members}, got "${n.text}"`, n);
      }
      const opts = parseClusterOptions(args.slice(1), line, errors);
      members = count;
      options = opts;
      commands.push({ op: 'members', count, options: opts, ...at });
      return;
    }
    if (members === 0) return void err('RAFT_SCRIPT_MEMBERS_FIRST', 'the script must start with `members N` (1 to 7)');

    const memberRef = (t: Token, allowLeader: boolean): MemberRef | null => {
      if (allowLeader && t.text === 'leader') return 'leader';
      const id = parseIntStrict(t.text);
      if (id === null || id < 1 || id > members) {
        err('RAFT_SCRIPT_BAD_MEMBER', `no member "${t.text}": members are 1..${members}${allowLeader ? ' (or `leader`)' : ''}`, t);
        return null;
      }
      return id;
    };
    const noArgs = () => {
      if (args.length > 0) err('RAFT_SCRIPT_BAD_ARGUMENT', `\`${cmd.text}\` takes no arguments`, args[0]);
    };

    switch (cmd.text) {
      case 'tick': {
        if (args[0]?.text === 'until') {
          if (args[1]?.text !== 'leader' || args.length > 2) return void err('RAFT_SCRIPT_BAD_ARGUMENT', '`tick until` is only followed by `leader`', args[1] ?? args[0]);
          totalTicks += TICK_UNTIL_LEADER_MAX_ELECTIONS * (options.electionTicks ?? 10);
          if (totalTicks > RAFT_SCRIPT_LIMITS.totalTicks) return void err('LIMIT_EXCEEDED', `the script may tick more than ${RAFT_SCRIPT_LIMITS.totalTicks} times in total (\`tick until leader\` counts as ${TICK_UNTIL_LEADER_MAX_ELECTIONS} election timeouts)`, args[0]);
          commands.push({ op: 'tick-until-leader', maxTicks: TICK_UNTIL_LEADER_MAX_ELECTIONS * (options.electionTicks ?? 10), ...at });
          return;
        }
        const t = args[0];
        const n = t ? parseIntStrict(t.text) : null;
        if (!t || n === null || n < 1) return void err('RAFT_SCRIPT_BAD_ARGUMENT', '`tick` needs a positive whole number of ticks, e.g. `tick 10`', t ?? cmd);
        if (args.length > 1) return void err('RAFT_SCRIPT_BAD_ARGUMENT', '`tick` takes one number', args[1]);
        totalTicks += n;
        if (totalTicks > RAFT_SCRIPT_LIMITS.totalTicks) return void err('LIMIT_EXCEEDED', `the script ticks more than ${RAFT_SCRIPT_LIMITS.totalTicks} times in total`, t);
        commands.push({ op: 'tick', ticks: n, ...at });
        return;
      }
      case 'propose': {
        if (args.length === 0) return void err('RAFT_SCRIPT_BAD_ARGUMENT', '`propose` needs data, e.g. `propose x=1`');
        totalProposals += 1;
        if (totalProposals > RAFT_SCRIPT_LIMITS.proposals) return void err('LIMIT_EXCEEDED', `the script proposes more than ${RAFT_SCRIPT_LIMITS.proposals} entries`);
        commands.push({ op: 'propose', data: body.slice(args[0]!.column - 1).trim(), ...at });
        return;
      }
      case 'propose-many': {
        const t = args[0];
        const n = t ? parseIntStrict(t.text) : null;
        if (!t || n === null || n < 1) return void err('RAFT_SCRIPT_BAD_ARGUMENT', '`propose-many` needs a count and a prefix, e.g. `propose-many 50 w`', t ?? cmd);
        const prefix = args[1];
        if (!prefix) return void err('RAFT_SCRIPT_BAD_ARGUMENT', '`propose-many` needs a prefix after the count, e.g. `propose-many 50 w`', t);
        if (args.length > 2) return void err('RAFT_SCRIPT_BAD_ARGUMENT', '`propose-many` takes a count and one prefix word', args[2]);
        totalProposals += n;
        if (totalProposals > RAFT_SCRIPT_LIMITS.proposals) return void err('LIMIT_EXCEEDED', `the script proposes more than ${RAFT_SCRIPT_LIMITS.proposals} entries`, t);
        commands.push({ op: 'propose-many', count: n, prefix: prefix.text, ...at });
        return;
      }
      case 'crash': {
        if (args.length !== 1) return void err('RAFT_SCRIPT_BAD_ARGUMENT', '`crash` takes one member id or `leader`', args[1] ?? cmd);
        const ref = memberRef(args[0]!, true);
        if (ref !== null) commands.push({ op: 'crash', target: ref, ...at });
        return;
      }
      case 'restart': {
        if (args.length !== 1) return void err('RAFT_SCRIPT_BAD_ARGUMENT', '`restart` takes one member id or `all`', args[1] ?? cmd);
        if (args[0]!.text === 'all') return void commands.push({ op: 'restart', target: 'all', ...at });
        const ref = memberRef(args[0]!, false);
        if (ref !== null) commands.push({ op: 'restart', target: ref as number, ...at });
        return;
      }
      case 'partition': {
        const groups: MemberRef[][] = [[]];
        const seen = new Map<string, Token>();
        let bad = false;
        for (const t of splitBars(args)) {
          if (t.text === '|') {
            groups.push([]);
            continue;
          }
          const ref = memberRef(t, true);
          if (ref === null) {
            bad = true;
            continue;
          }
          if (seen.has(String(ref))) {
            err('RAFT_SCRIPT_BAD_MEMBER', `member ${ref} is listed twice`, t);
            bad = true;
          }
          seen.set(String(ref), t);
          groups[groups.length - 1]!.push(ref);
        }
        if (bad) return;
        if (groups.some((g) => g.length === 0)) return void err('RAFT_SCRIPT_BAD_ARGUMENT', '`partition` needs groups of members separated by `|`, e.g. `partition 1 | 2 3`');
        commands.push({ op: 'partition', groups, ...at });
        return;
      }
      case 'heal':
        noArgs();
        commands.push({ op: 'heal', ...at });
        return;
      case 'status':
        noArgs();
        commands.push({ op: 'status', ...at });
        return;
      case 'network': {
        if (args.length === 0) return void err('RAFT_SCRIPT_BAD_ARGUMENT', '`network` needs settings, e.g. `network dropRate=0.1 delay=1-3`');
        const o = parseClusterOptions(args, line, errors, ['dropRate', 'duplicateRate', 'delay']);
        const net: Partial<NetworkOptions> = {};
        if (o.dropRate !== undefined) net.dropRate = o.dropRate;
        if (o.duplicateRate !== undefined) net.duplicateRate = o.duplicateRate;
        if (o.delayTicks !== undefined) net.delayTicks = o.delayTicks;
        commands.push({ op: 'network', options: net, ...at });
        return;
      }
    }
  });

  if (errors.length === 0 && members === 0) {
    errors.push(simError('RAFT_SCRIPT_MEMBERS_FIRST', 'the script must start with `members N` (1 to 7)', { line: 1, column: 1 }));
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { members, options, commands, totalTicks, totalProposals } };
}

/** Lets `1|2 3` and `1 | 2 3` mean the same. */
function splitBars(args: Token[]): Token[] {
  const out: Token[] = [];
  for (const t of args) {
    let col = t.column;
    for (const part of t.text.split(/(\|)/)) {
      if (part !== '') out.push({ text: part, column: col });
      col += part.length;
    }
  }
  return out;
}

function parseIntStrict(s: string): number | null {
  if (!/^\d{1,9}$/.test(s)) return null;
  return Number(s);
}

const OPTION_KEYS = ['electionTicks', 'heartbeatTicks', 'snapshotCount', 'catchUpEntries', 'dropRate', 'duplicateRate', 'delay', 'preVote', 'checkQuorum'];

/** key=value options of `members` and `network`; errors point at the offending token. */
function parseClusterOptions(toks: Token[], line: number, errors: SimError[], allowed: string[] = OPTION_KEYS): Partial<RaftClusterOptions> {
  const o: { -readonly [K in keyof RaftClusterOptions]?: RaftClusterOptions[K] } = {};
  for (const t of toks) {
    const eq = t.text.indexOf('=');
    const key = eq > 0 ? t.text.slice(0, eq) : t.text;
    const value = eq > 0 ? t.text.slice(eq + 1) : '';
    const bad = (message: string) => errors.push(simError('RAFT_SCRIPT_BAD_OPTION', message, { line, column: t.column }));
    if (!allowed.includes(key)) {
      bad(`unknown setting "${key}" (expected key=value with key one of: ${allowed.join(', ')})`);
      continue;
    }
    if (eq <= 0 || value === '') {
      bad(`setting "${key}" needs a value, e.g. ${key}=${example(key)}`);
      continue;
    }
    switch (key) {
      case 'electionTicks':
      case 'heartbeatTicks':
      case 'snapshotCount':
      case 'catchUpEntries': {
        const n = parseIntStrict(value);
        const min = key === 'catchUpEntries' ? 0 : 1;
        if (n === null || n < min || n > 100_000) {
          bad(`${key} must be a whole number from ${min} to 100000, got "${value}"`);
          break;
        }
        if (key === 'catchUpEntries') o.snapshotCatchUpEntries = n;
        else o[key] = n;
        break;
      }
      case 'dropRate':
      case 'duplicateRate': {
        const p = /^(0(\.\d+)?|1(\.0+)?|\.\d+)$/.test(value) ? Number(value) : NaN;
        if (!(p >= 0 && p <= 1)) {
          bad(`${key} must be a probability from 0 to 1, got "${value}"`);
          break;
        }
        if (key === 'dropRate') o.dropRate = p;
        else o.duplicateRate = p;
        break;
      }
      case 'delay': {
        const m = /^(\d{1,4})(?:(?:-|\.\.)(\d{1,4}))?$/.exec(value);
        const lo = m ? Number(m[1]) : NaN;
        const hi = m ? Number(m[2] ?? m[1]) : NaN;
        if (!m || lo > hi || hi > 1000) {
          bad(`delay must be ticks "min-max" (0 <= min <= max <= 1000), got "${value}"`);
          break;
        }
        o.delayTicks = [lo, hi];
        break;
      }
      case 'preVote':
      case 'checkQuorum': {
        const v = ['on', 'true', 'yes'].includes(value) ? true : ['off', 'false', 'no'].includes(value) ? false : null;
        if (v === null) {
          bad(`${key} must be on or off, got "${value}"`);
          break;
        }
        o[key] = v;
        break;
      }
    }
  }
  if ((o.heartbeatTicks ?? 1) >= (o.electionTicks ?? 10) && (o.heartbeatTicks !== undefined || o.electionTicks !== undefined)) {
    const t = toks.find((x) => x.text.startsWith('heartbeatTicks=')) ?? toks.find((x) => x.text.startsWith('electionTicks='))!;
    errors.push(simError('RAFT_SCRIPT_BAD_OPTION', 'heartbeatTicks must be smaller than electionTicks', { line, column: t.column }));
  }
  return o;
}

function example(key: string): string {
  switch (key) {
    case 'dropRate':
    case 'duplicateRate':
      return '0.1';
    case 'delay':
      return '1-3';
    case 'preVote':
    case 'checkQuorum':
      return 'on';
    default:
      return '10';
  }
}
