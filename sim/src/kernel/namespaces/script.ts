/**
 * runNamespaces: a small shell-like script run against the process and
 * namespace model, one snapshot per step. The commands mimic util-linux
 * unshare(1)/nsenter(1), iproute2 and the shell; each runs as the "current"
 * process (the shell prompt you are at):
 *
 *   unshare [--fork|-f] [--pid|-p] [--uts|-u] [--net|-n] [--mount|-m] [--ipc|-i]
 *           [--user|-U] [--map-root-user|-r] [--cgroup|-C] [--time|-T] [cmd]
 *       the shell forks `unshare`, which calls unshare(2) and then execs cmd
 *       (default bash) — or, with --fork, forks cmd as its child. The new
 *       process becomes current. Without --fork, --pid only affects children.
 *   nsenter -t <pid> [--net|-n] [--uts|-u] ... [--all|-a] [cmd]
 *       setns(2) into the target's namespaces (pid as the current process
 *       sees it); with --pid it forks, since pid namespaces apply to children.
 *   nsenter --net=<path> ... [cmd]   (util-linux form: enter the namespace file at <path>)
 *   setns <pid> <kind>      raw setns(2) by the current process
 *   setns <path>            setns(2) on /proc/<pid>/ns/<kind> or a pinned file
 *   ip netns add|del <name> | ip netns list   (pinned at /var/run/netns/<name>)
 *   prctl PR_SET_CHILD_SUBREAPER   orphans below the current process come to it
 *   spawn <comm>            start a background child (fork + exec)
 *   exit                    the current process exits; its parent becomes current
 *   kill <pid>              SIGKILL (pid as the current process sees it)
 *   use <hostPid>           switch the prompt to another process
 *   hostname [name]         sethostname(2) / print
 *   ip link add <a> type veth peer name <b> | ip link add <br> type bridge
 *   ip link set <dev> up|down | netns <pid>|<name> | master <bridge> | nomaster | name <new>
 *   ip link del <dev> | ip addr add <cidr> dev <dev> | ip addr
 *   ping <ip>               is the address reachable over links that are up?
 *   echo "0 1000 1" > /proc/<pid>/uid_map    (or gid_map; written once)
 *   setuid <uid> | id | getpid | ipcmk -Q | ipcs | mount -t <fs> <src> <dir> | mount
 * Lines starting with # are comments. Syntax errors fail the run with
 * line/column; a failing system call (EPERM, EINVAL, ...) is a step result.
 * Upstream: Linux v6.12 (see process.ts), util-linux 2.40 unshare.c/nsenter.c.
 * Backs Layer 1 "Namespaces".
 */
import { fail, ok, simError, type Result, type SimError } from '../../core/result.ts';
import { Prng } from '../../core/prng.ts';
import { Kernel, type Task } from '../process.ts';
import { CLONE_FLAG_OF, OPTION_KIND, formatFlags, type NsKind, NS_KINDS } from './flags.ts';
import { findDevice, formatIpAddr, parseCidr, sameSubnet, type NetDevice } from './net.ts';
import { fromKid, makeKid, parseIdMap } from './user.ts';
import { snapshot, type NsSnapshot } from './view.ts';
import type { NetNamespace } from './types.ts';

export const NAMESPACES_LIMITS = { textMax: 20000, stepsMax: 200 } as const;
/** Where iproute2 pins named network namespaces (ip/ipnetns.c NETNS_RUN_DIR). */
export const NETNS_DIR = '/var/run/netns/';

export const DEFAULT_NAMESPACES_SCRIPT = `# ホストの bash (pid 1000) から、コンテナらしいものを手で作る
unshare --pid --uts --net --mount --fork
hostname web-1
spawn sleep
getpid
# ホスト側 (pid 1000 の bash) に戻って veth を張る
use 1000
ip link add cni0 type bridge
ip addr add 10.244.1.1/24 dev cni0
ip link set cni0 up
ip link add veth0 type veth peer name ceth0
ip link set veth0 master cni0
ip link set veth0 up
ip link set ceth0 netns 1002
# コンテナの中 (ホストから見た pid 1002) に入って設定する
use 1002
ip link set ceth0 name eth0
ip link set lo up
ip addr add 10.244.1.5/24 dev eth0
ip link set eth0 up
ip addr
ping 10.244.1.1
# user namespace: 中では root、ホストでは uid 1000
use 1000
setuid 1000
unshare --user --map-root-user
id
`;

/** The same script with English comments (the commands are identical). */
export const DEFAULT_NAMESPACES_SCRIPT_EN = DEFAULT_NAMESPACES_SCRIPT
  .replace('# ホストの bash (pid 1000) から、コンテナらしいものを手で作る', '# From the host bash (pid 1000), build something container-like by hand')
  .replace('# ホスト側 (pid 1000 の bash) に戻って veth を張る', '# Back on the host (bash, pid 1000): wire up a veth pair')
  .replace('# コンテナの中 (ホストから見た pid 1002) に入って設定する', '# Go inside the container (host pid 1002) and configure it')
  .replace('# user namespace: 中では root、ホストでは uid 1000', '# user namespace: root inside, uid 1000 on the host');

export interface NsStep {
  line: number;
  command: string;
  /** What the command printed (or the error, prefixed by its errno). */
  output: string[];
  error: SimError | null;
  snapshot: NsSnapshot;
}

export interface NamespacesView {
  steps: NsStep[];
  final: NsSnapshot;
}

interface Token { text: string; column: number }

function tokenize(line: string): Token[] | { column: number; message: string } {
  const out: Token[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === ' ' || line[i] === '\t') { i++; continue; }
    const start = i;
    let text = '';
    while (i < line.length && line[i] !== ' ' && line[i] !== '\t') {
      if (line[i] === '"' || line[i] === "'") {
        const q = line[i]!;
        const end = line.indexOf(q, i + 1);
        if (end < 0) return { column: i + 1, message: 'unterminated quote' };
        text += line.slice(i + 1, end);
        i = end + 1;
      } else text += line[i++];
    }
    out.push({ text, column: start + 1 });
  }
  return out;
}

type Cmd = { line: number; raw: string; tokens: Token[] };

const COMMANDS = new Set(['unshare', 'nsenter', 'setns', 'prctl', 'spawn', 'exit', 'kill', 'use', 'hostname', 'ip', 'ping', 'echo', 'setuid', 'id', 'getpid', 'ipcmk', 'ipcs', 'mount', 'ps']);

function parse(text: string): Result<Cmd[]> {
  if (text.length > NAMESPACES_LIMITS.textMax) return fail(simError('LIMIT_EXCEEDED', `script is ${text.length} characters; the limit is ${NAMESPACES_LIMITS.textMax}`, { line: 1, column: 1 }));
  const cmds: Cmd[] = [];
  const errors: SimError[] = [];
  text.split('\n').forEach((raw, idx) => {
    const line = idx + 1;
    const trimmed = raw.replace(/\r$/, '');
    if (trimmed.trim() === '' || trimmed.trim().startsWith('#')) return;
    const tokens = tokenize(trimmed);
    if (!Array.isArray(tokens)) { errors.push(simError('SCRIPT_SYNTAX', tokens.message, { line, column: tokens.column })); return; }
    const head = tokens[0]!;
    if (!COMMANDS.has(head.text)) { errors.push(simError('SCRIPT_UNKNOWN_COMMAND', `unknown command "${head.text}" (try unshare, nsenter, setns, spawn, exit, kill, use, hostname, ip, ping, echo ... > /proc/<pid>/uid_map, setuid, id, getpid, ipcmk, ipcs, mount)`, { line, column: head.column })); return; }
    const synErr = checkSyntax(tokens);
    if (synErr) { errors.push(simError('SCRIPT_SYNTAX', synErr.message, { line, column: synErr.column })); return; }
    cmds.push({ line, raw: trimmed.trim(), tokens });
  });
  if (errors.length) return fail(errors);
  if (cmds.length > NAMESPACES_LIMITS.stepsMax) return fail(simError('LIMIT_EXCEEDED', `${cmds.length} commands; the limit is ${NAMESPACES_LIMITS.stepsMax}`, { line: cmds[NAMESPACES_LIMITS.stepsMax]!.line, column: 1 }));
  return ok(cmds);
}

const isInt = (s: string | undefined) => s !== undefined && /^\d+$/.test(s);

/** Static checks that need no kernel state; returns the offending column. */
function checkSyntax(t: Token[]): { column: number; message: string } | null {
  const [h, ...a] = t;
  const at = (i: number, message: string) => ({ column: (a[i] ?? t[t.length - 1]!).column + (a[i] ? 0 : t[t.length - 1]!.text.length), message });
  switch (h!.text) {
    case 'unshare':
      for (let i = 0; i < a.length; i++) {
        const o = a[i]!.text;
        if (!o.startsWith('-')) { if (i !== a.length - 1) return at(i + 1, 'only one command may follow the options'); continue; }
        if (!(o in OPTION_KIND) && !['--fork', '-f', '--map-root-user', '-r'].includes(o)) return at(i, `unknown unshare option ${o}`);
      }
      return null;
    case 'nsenter': {
      let target = false;
      for (let i = 0; i < a.length; i++) {
        const o = a[i]!.text;
        if (o === '-t' || o === '--target') { if (!isInt(a[i + 1]?.text)) return at(i + 1, `${o} needs a pid`); target = true; i++; continue; }
        if (o === '-a' || o === '--all' || o in OPTION_KIND) continue;
        const eq = /^(--[a-z]+)=(\/\S*)$/.exec(o);
        if (eq && eq[1]! in OPTION_KIND) { target = true; continue; }
        if (o.startsWith('-')) return at(i, `unknown nsenter option ${o}`);
        if (i !== a.length - 1) return at(i + 1, 'only one command may follow the options');
      }
      return target ? null : { column: h!.column, message: 'nsenter needs -t <pid>' };
    }
    case 'prctl': return a.length === 1 && a[0]!.text === 'PR_SET_CHILD_SUBREAPER' ? null : at(0, 'usage: prctl PR_SET_CHILD_SUBREAPER');
    case 'setns':
      if (a.length === 1 && a[0]!.text.startsWith('/')) return null;
      if (!isInt(a[0]?.text)) return at(0, 'usage: setns <pid> <kind> | setns <path>');
      if (!NS_KINDS.includes(a[1]?.text as NsKind)) return at(1, `kind must be one of ${NS_KINDS.join(', ')}`);
      return null;
    case 'spawn': return a.length === 1 ? null : at(1, 'usage: spawn <comm>');
    case 'kill': case 'use': return a.length === 1 && isInt(a[0]!.text) ? null : at(0, `usage: ${h!.text} <pid>`);
    case 'setuid': return a.length === 1 && isInt(a[0]!.text) ? null : at(0, 'usage: setuid <uid>');
    case 'hostname': return a.length <= 1 ? null : at(1, 'usage: hostname [name]');
    case 'ping': return a.length === 1 && parseCidr(a[0]!.text) ? null : at(0, 'usage: ping <ipv4 address>');
    case 'echo': {
      if (a.length !== 3 || a[1]!.text !== '>' || !/^\/proc\/(\d+|self)\/(uid_map|gid_map|setgroups)$/.test(a[2]!.text)) return at(0, 'usage: echo "<inside> <outside> <count>" > /proc/<pid>/uid_map (or gid_map)');
      return null;
    }
    case 'ip': {
      const w = a.map((x) => x.text);
      if (w[0] === 'addr' || w[0] === 'a') {
        if (w.length === 1 || (w.length === 2 && w[1] === 'show')) return null;
        if (w[1] === 'add' && w[3] === 'dev' && w.length === 5) return parseCidr(w[2]!) ? null : at(2, `"${w[2]}" is not an IPv4 address/prefix`);
        return at(1, 'usage: ip addr [show] | ip addr add <a.b.c.d/len> dev <dev>');
      }
      if (w[0] === 'netns') {
        if (w.length === 2 && (w[1] === 'list' || w[1] === 'ls')) return null;
        if (w.length === 3 && (w[1] === 'add' || w[1] === 'del' || w[1] === 'delete')) return /^[\w.-]+$/.test(w[2]!) ? null : at(2, `bad netns name "${w[2]}"`);
        return at(1, 'usage: ip netns add <name> | ip netns del <name> | ip netns list');
      }
      if (w[0] === 'link') {
        if (w.length === 1) return null;
        if (w[1] === 'add') {
          if (w.length === 7 && w[3] === 'type' && w[4] === 'veth' && w[5] === 'peer' && w[6] !== undefined) return at(5, 'usage: ip link add <a> type veth peer name <b>');
          if (w.length === 8 && w[3] === 'type' && w[4] === 'veth' && w[5] === 'peer' && w[6] === 'name') return null;
          if (w.length === 5 && w[3] === 'type' && w[4] === 'bridge') return null;
          return at(3, 'usage: ip link add <a> type veth peer name <b> | ip link add <br> type bridge');
        }
        if (w[1] === 'set' && w.length >= 4) {
          const rest = w.slice(3);
          if (rest.length === 1 && ['up', 'down', 'nomaster'].includes(rest[0]!)) return null;
          if (rest.length === 2 && rest[0] === 'netns' && /^[\w.-]+$/.test(rest[1]!)) return null;
          if (rest.length === 2 && (rest[0] === 'master' || rest[0] === 'name')) return null;
          return at(3, 'usage: ip link set <dev> up|down|nomaster | netns <pid> | master <bridge> | name <newname>');
        }
        if ((w[1] === 'del' || w[1] === 'delete') && w.length === 3) return null;
        return at(1, 'usage: ip link [add|set|del] ...');
      }
      return at(0, 'usage: ip link ... | ip addr ... | ip netns ...');
    }
    case 'ipcmk': return a.length === 1 && a[0]!.text === '-Q' ? null : at(0, 'usage: ipcmk -Q');
    case 'mount': return a.length === 0 || (a.length === 4 && a[0]!.text === '-t') ? null : at(0, 'usage: mount -t <fstype> <source> <target>');
    default: return a.length === 0 ? null : at(0, `${h!.text} takes no arguments`);
  }
}

/** Runs the script; `seed` only picks MAC addresses. */
export function runNamespaces(text: string, options: { seed?: number } = {}): Result<NamespacesView> {
  const parsed = parse(text);
  if (!parsed.ok) return parsed;
  const k = new Kernel(new Prng(options.seed ?? 1));
  // Host pids so far: 1 systemd; the user's shell is pid 1000 as in the chapter.
  k.initPidNs.lastPid = 999;
  const sh = k.clone(k.task(1)!, 0, 'bash');
  if (!sh.ok) return sh;
  let cur: Task = sh.value;
  const steps: NsStep[] = [];
  for (const cmd of parsed.value) {
    const out: string[] = [];
    let error: SimError | null = null;
    const r = exec(k, cur, cmd, out);
    if (r.ok) cur = r.value;
    else {
      error = { ...r.errors[0]!, line: cmd.line, column: cmd.tokens[0]!.column };
      out.push(`${cmd.tokens[0]!.text}: ${error.code}: ${error.message}`);
    }
    reapWaiters(k);
    if (!cur.alive) {
      let p = cur.parentHostPid === null ? undefined : k.task(cur.parentHostPid);
      while (!p) p = k.task(1);
      cur = p;
    }
    steps.push({ line: cmd.line, command: cmd.raw, output: out, error, snapshot: snapshot(k, cur.hostPid) });
  }
  return ok({ steps, final: snapshot(k, cur.hostPid) });
}

const err = (code: string, message: string) => fail<Task>(simError(code, message));

/** `unshare --fork` / `nsenter` wait for their child and exit with it. */
function reapWaiters(k: Kernel): void {
  for (let changed = true; changed; ) {
    changed = false;
    for (const t of k.liveTasks()) {
      if (t.comm !== 'unshare' && t.comm !== 'nsenter') continue;
      if (k.liveTasks().some((c) => c.parentHostPid === t.hostPid)) continue;
      k.exit(t);
      changed = true;
    }
  }
}

function exec(k: Kernel, cur: Task, cmd: Cmd, out: string[]): Result<Task> {
  const w = cmd.tokens.map((t) => t.text);
  const pidArg = (s: string): Result<Task> => {
    const t = k.findByPid(cur, Number(s));
    return t ? ok(t) : err('ESRCH', `no process ${s} in this pid namespace`);
  };
  switch (w[0]) {
    case 'unshare': {
      const opts = w.slice(1).filter((x) => x.startsWith('-'));
      const prog = w.slice(1).find((x) => !x.startsWith('-')) ?? 'bash';
      let flags = 0;
      for (const o of opts) if (o in OPTION_KIND) flags |= CLONE_FLAG_OF[OPTION_KIND[o]!];
      const mapRoot = opts.includes('--map-root-user') || opts.includes('-r');
      if (mapRoot) flags |= CLONE_FLAG_OF.user;
      const fork = opts.includes('--fork') || opts.includes('-f');
      const u = k.clone(cur, 0, 'unshare');
      if (!u.ok) return u;
      const proc = u.value;
      const r = k.unshare(proc, flags);
      if (!r.ok) { k.exit(proc); return r; }
      out.push(`unshare(${formatFlags(flags)})`);
      if (mapRoot) {
        proc.userNs.uidMap = [{ first: 0, lowerFirst: fromKid(proc.userNs.parent!, proc.kuid, 'uid'), count: 1 }];
        proc.userNs.gidMap = [{ first: 0, lowerFirst: fromKid(proc.userNs.parent!, proc.kgid, 'gid'), count: 1 }];
      }
      if (!fork) { proc.comm = prog; return ok(proc); }
      const c = k.clone(proc, 0, prog);
      if (!c.ok) { k.exit(proc); return c; }
      return ok(c.value);
    }
    case 'nsenter': {
      let target: Task | undefined;
      const kinds: NsKind[] = [];
      const paths = new Map<NsKind, string>();
      let prog = 'bash';
      for (let i = 1; i < w.length; i++) {
        const eq = /^(--[a-z]+)=(\/\S*)$/.exec(w[i]!);
        if (eq) { const kind = OPTION_KIND[eq[1]!]!; kinds.push(kind); paths.set(kind, eq[2]!); continue; }
        if (w[i] === '-t' || w[i] === '--target') { const t = pidArg(w[++i]!); if (!t.ok) return t; target = t.value; }
        else if (w[i] === '-a' || w[i] === '--all') kinds.push(...NS_KINDS);
        else if (w[i]! in OPTION_KIND) kinds.push(OPTION_KIND[w[i]!]!);
        else prog = w[i]!;
      }
      const n = k.clone(cur, 0, 'nsenter');
      if (!n.ok) return n;
      const proc = n.value;
      // nsenter joins the user namespace first, then the others (util-linux order).
      const ordered = NS_KINDS.filter((kk) => kinds.includes(kk));
      for (const kind of ordered) {
        const path = paths.get(kind);
        if (path) {
          const r = k.setnsByPath(proc, path);
          if (!r.ok) { k.exit(proc); return r; }
          continue;
        }
        if (!target) { k.exit(proc); return err('EINVAL', `--${kind} without a path needs -t <pid>`); }
        if (kind === 'user' && k.nsOf(proc, 'user') === k.nsOf(target, 'user')) continue;
        const r = k.setns(proc, target, kind);
        if (!r.ok) { k.exit(proc); return r; }
      }
      if (!ordered.includes('pid')) { proc.comm = prog; return ok(proc); }
      const c = k.clone(proc, 0, prog);
      if (!c.ok) { k.exit(proc); return c; }
      return ok(c.value);
    }
    case 'prctl':
      k.setChildSubreaper(cur, true);
      out.push(`prctl(PR_SET_CHILD_SUBREAPER, 1): orphans below host pid ${cur.hostPid} are reparented to it`);
      return ok(cur);
    case 'setns': {
      if (w.length === 2) {
        const r = k.setnsByPath(cur, w[1]!);
        return r.ok ? ok(cur) : r;
      }
      const t = pidArg(w[1]!);
      if (!t.ok) return t;
      const r = k.setns(cur, t.value, w[2] as NsKind);
      return r.ok ? ok(cur) : r;
    }
    case 'spawn': {
      const c = k.clone(cur, 0, w[1]!);
      if (!c.ok) return c;
      out.push(`[1] ${k.pidIn(c.value, cur.pidNs)}`);
      return ok(cur);
    }
    case 'exit': {
      const parent = cur.parentHostPid === null ? undefined : k.task(cur.parentHostPid);
      if (!parent) return err('EPERM', 'the initial process cannot exit in this sim');
      const died = k.exit(cur);
      if (died.length > 1) out.push(`killed with it: host pids ${died.slice(1).join(', ')} (pid namespace init exited)`);
      // the parent `unshare`/`nsenter` process waits for its child and then exits too
      let back = parent;
      while ((back.comm === 'unshare' || back.comm === 'nsenter') && back.parentHostPid !== null) {
        const up = k.task(back.parentHostPid);
        k.exit(back);
        if (!up) break;
        back = up;
      }
      return ok(k.task(back.hostPid) ?? k.task(1)!);
    }
    case 'kill': {
      const r = k.kill(cur, Number(w[1]));
      if (!r.ok) return r;
      if (r.value.length === 0) out.push(`pid ${w[1]} is the init of this pid namespace: SIGKILL from inside is ignored`);
      else out.push(`killed host pids ${r.value.join(', ')}`);
      return ok(cur);
    }
    case 'use': {
      const t = k.task(Number(w[1]));
      return t ? ok(t) : err('ESRCH', `no live process with host pid ${w[1]}`);
    }
    case 'getpid':
      out.push(`getpid() = ${k.getpid(cur)}, getppid() = ${k.getppid(cur)}, host pid ${cur.hostPid}`);
      return ok(cur);
    case 'ps':
      for (const t of k.liveTasks()) { const p = k.pidIn(t, cur.pidNs); if (p !== null) out.push(`${String(p).padStart(7)} ${t.comm}`); }
      return ok(cur);
    case 'hostname':
      if (w.length === 1) { out.push(cur.ns.uts.nodename); return ok(cur); }
      if (!k.capable(cur, cur.ns.uts.owner ?? k.initUserNs)) return err('EPERM', 'sethostname needs CAP_SYS_ADMIN over the UTS namespace');
      if (w[1]!.length > 64) return err('EINVAL', 'hostname longer than 64 characters (__NEW_UTS_LEN)');
      cur.ns.uts.nodename = w[1]!;
      return ok(cur);
    case 'id': {
      const uid = fromKid(cur.userNs, cur.kuid, 'uid');
      const gid = fromKid(cur.userNs, cur.kgid, 'gid');
      out.push(`uid=${uid} gid=${gid} (host uid=${cur.kuid} gid=${cur.kgid})`);
      return ok(cur);
    }
    case 'setuid': {
      const kuid = makeKid(cur.userNs, Number(w[1]), 'uid');
      if (kuid === null) return err('EINVAL', `uid ${w[1]} has no mapping in this user namespace`);
      if (!cur.hasCaps && kuid !== cur.kuid) return err('EPERM', 'setuid needs CAP_SETUID');
      cur.kuid = kuid;
      cur.kgid = makeKid(cur.userNs, Number(w[1]), 'gid') ?? cur.kgid;
      cur.hasCaps = Number(w[1]) === 0 && cur.hasCaps;
      return ok(cur);
    }
    case 'echo': return writeIdMap(k, cur, w[1]!, w[3]!);
    case 'ipcmk': {
      const ipc = cur.ns.ipc;
      const id = ipc.nextIpcId++;
      ipc.msgQueueIds.push(id);
      out.push(`Message queue id: ${id}`);
      return ok(cur);
    }
    case 'ipcs':
      out.push('------ Message Queues --------', ...cur.ns.ipc.msgQueueIds.map((id) => `msqid ${id}`));
      return ok(cur);
    case 'mount':
      if (w.length === 1) { out.push(...cur.ns.mnt.mounts.map((m) => `${m.source} on ${m.target} type ${m.fstype}`)); return ok(cur); }
      if (!k.capable(cur, cur.ns.mnt.owner ?? k.initUserNs)) return err('EPERM', 'mount needs CAP_SYS_ADMIN over the mount namespace');
      cur.ns.mnt.mounts.push({ fstype: w[2]!, source: w[3]!, target: w[4]! });
      return ok(cur);
    case 'ping': return ping(k, cur, w[1]!, out);
    case 'ip': return ip(k, cur, w.slice(1), out);
  }
  return err('EINVAL', `unhandled command ${w[0]}`);
}

function writeIdMap(k: Kernel, cur: Task, text: string, path: string): Result<Task> {
  const m = /^\/proc\/(\d+|self)\/(uid_map|gid_map|setgroups)$/.exec(path)!;
  const target = m[1] === 'self' ? cur : k.findByPid(cur, Number(m[1]));
  if (!target) return err('ESRCH', `no process ${m[1]} in this pid namespace`);
  if (m[2] === 'setgroups') return ok(cur);
  const which = m[2] === 'uid_map' ? 'uid' : 'gid';
  if (!target.userNs.parent) return err('EPERM', 'the initial user namespace\'s map is fixed');
  if ((which === 'uid' ? target.userNs.uidMap : target.userNs.gidMap) !== null) return err('EPERM', `${m[2]} can be written only once`);
  const parsed = parseIdMap(text.replace(/\\n/g, '\n'));
  if (!parsed.ok) return err('EINVAL', parsed.message);
  const w = k.writeIdMap(cur, target, which, parsed.extents);
  if (!w.ok) return err(w.errors[0]!.code, w.errors[0]!.message);
  return ok(cur);
}

function ip(k: Kernel, cur: Task, w: string[], out: string[]): Result<Task> {
  const net = cur.ns.net;
  const admin = () => k.capable(cur, net.owner ?? k.initUserNs);
  if ((w[0] === 'addr' || w[0] === 'a') && w[1] !== 'add') { out.push(...formatIpAddr(net)); return ok(cur); }
  if (w[0] === 'netns') {
    if (w[1] === 'list' || w[1] === 'ls') {
      for (const [path, ns] of k.pinned) if (path.startsWith(NETNS_DIR)) out.push(`${path.slice(NETNS_DIR.length)} (net:[${ns.inum}])`);
      return ok(cur);
    }
    const path = NETNS_DIR + w[2]!;
    if (w[1] === 'add') {
      // iproute2 ip/ipnetns.c netns_add: unshare(CLONE_NEWNET) in a child, then bind-mount its /proc/self/ns/net at the path.
      const n = k.newNetNamespace(cur);
      if (!n.ok) return n;
      const p = k.pin(path, n.value);
      if (!p.ok) return p;
      out.push(`${path} → net:[${n.value.inum}]`);
      return ok(cur);
    }
    const r = k.unpin(path);
    return r.ok ? ok(cur) : r;
  }
  if (w[0] === 'link' && w.length === 1) { out.push(...formatIpAddr(net).filter((l) => !l.startsWith('    inet'))); return ok(cur); }
  if (!admin()) return err('EPERM', 'changing links needs CAP_NET_ADMIN over the network namespace');
  const dev = (name: string): Result<NetDevice> => {
    const d = findDevice(net, name);
    return d ? ok(d) : fail(simError('ENODEV', `Cannot find device "${name}"`));
  };
  if (w[0] === 'addr') {
    const d = dev(w[4]!);
    if (!d.ok) return d;
    if (d.value.addresses.includes(w[2]!)) return err('EEXIST', 'RTNETLINK answers: File exists');
    d.value.addresses.push(w[2]!.includes('/') ? w[2]! : `${w[2]}/32`);
    return ok(cur);
  }
  if (w[1] === 'add') {
    const names = w[3] === 'type' && w[4] === 'veth' ? [w[2]!, w[7]!] : [w[2]!];
    for (const n of names) if (findDevice(net, n)) return err('EEXIST', `RTNETLINK answers: File exists (${n})`);
    if (names.length === 2) {
      const a = k.newDevice(net, names[0]!, 'veth');
      net.devices.push(a);
      const b = k.newDevice(net, names[1]!, 'veth');
      net.devices.push(b);
      a.peer = b;
      b.peer = a;
    } else net.devices.push(k.newDevice(net, names[0]!, 'bridge'));
    return ok(cur);
  }
  if (w[1] === 'del' || w[1] === 'delete') {
    const d = dev(w[2]!);
    if (!d.ok) return d;
    if (d.value.type === 'loopback') return err('EOPNOTSUPP', 'lo cannot be deleted');
    k.deleteDevice(net, d.value);
    return ok(cur);
  }
  // ip link set <dev> ...
  const d = dev(w[2]!);
  if (!d.ok) return d;
  const op = w[3]!;
  if (op === 'up' || op === 'down') {
    d.value.up = op === 'up';
    if (d.value.type === 'loopback' && d.value.up && !d.value.addresses.includes('127.0.0.1/8')) d.value.addresses.push('127.0.0.1/8');
    return ok(cur);
  }
  if (op === 'nomaster') { d.value.master = null; return ok(cur); }
  if (op === 'name') {
    if (d.value.up) return err('EBUSY', 'a device must be down to be renamed');
    if (findDevice(net, w[4]!)) return err('EEXIST', `RTNETLINK answers: File exists (${w[4]})`);
    if (w[4]!.length > 15) return err('EINVAL', 'interface names are at most 15 characters (IFNAMSIZ)');
    for (const x of net.devices) if (x.master === d.value.name) x.master = w[4]!;
    d.value.name = w[4]!;
    return ok(cur);
  }
  if (op === 'master') {
    const br = findDevice(net, w[4]!);
    if (!br || br.type !== 'bridge') return err('EINVAL', `"${w[4]}" is not a bridge in this network namespace`);
    if (d.value === br) return err('ELOOP', 'a bridge cannot be its own port');
    d.value.master = br.name;
    return ok(cur);
  }
  // netns <pid> | netns <name> (a namespace pinned at /var/run/netns/<name>)
  let to: NetNamespace;
  if (/^\d+$/.test(w[4]!)) {
    const t = k.findByPid(cur, Number(w[4]));
    if (!t) return err('ESRCH', `no process ${w[4]} in this pid namespace`);
    to = t.ns.net;
  } else {
    const p = k.pinned.get(NETNS_DIR + w[4]!);
    if (!p || p.kind !== 'net') return err('ENOENT', `no network namespace named ${w[4]} (ip netns add ${w[4]})`);
    to = p;
  }
  if (to === net) return ok(cur);
  if (!k.capable(cur, to.owner ?? k.initUserNs)) return err('EPERM', 'moving a link needs CAP_NET_ADMIN over both network namespaces');
  if (d.value.type === 'loopback') return err('EINVAL', 'lo cannot change namespace (NETIF_F_NETNS_LOCAL)');
  if (findDevice(to, d.value.name)) return err('EEXIST', `the target namespace already has a device named ${d.value.name}`);
  moveDevice(k, net, to, d.value);
  return ok(cur);
}

/** dev_change_net_namespace: down, addresses flushed, bridge port released, ifindex kept if free. */
function moveDevice(k: Kernel, from: NetNamespace, to: NetNamespace, d: NetDevice): void {
  from.devices = from.devices.filter((x) => x !== d);
  for (const x of from.devices) if (x.master === d.name) x.master = null;
  d.up = false;
  d.addresses = [];
  d.master = null;
  const keep = !to.devices.some((x) => x.ifindex === d.ifindex);
  if (!keep) {
    while (to.devices.some((x) => x.ifindex === to.nextIfindex)) to.nextIfindex++;
    d.ifindex = to.nextIfindex++;
  }
  d.netnsInum = to.inum;
  to.devices.push(d);
  void k;
}

/** L2 reachability over links that are up: local address, or a directly connected subnet through veth peers and bridge ports. */
function ping(k: Kernel, cur: Task, dst: string, out: string[]): Result<Task> {
  const [ip] = parseCidr(dst)!;
  const net = cur.ns.net;
  const has = (d: NetDevice) => d.up && d.addresses.some((a) => parseCidr(a)![0] === ip);
  const local = net.devices.find(has);
  if (local) { out.push(`PING ${dst}: reply from ${dst} (local address on ${local.name})`); return ok(cur); }
  const egress = net.devices.find((d) => d.up && d.type !== 'loopback' && d.addresses.some((a) => { const [x, len] = parseCidr(a)!; return sameSubnet(x, ip, len); }));
  if (!egress) { out.push(`ping: connect: Network is unreachable (no interface in ${dst}'s subnet is up)`); return err('ENETUNREACH', `no route to ${dst}`); }
  // Walk the L2 segment: veth → peer; bridge port ↔ bridge ↔ other ports.
  const seen = new Set<NetDevice>();
  const queue: NetDevice[] = [egress];
  const nsOf = (d: NetDevice) => k.netnsByInum(d.netnsInum);
  while (queue.length) {
    const d = queue.shift()!;
    if (seen.has(d) || !d.up) continue;
    seen.add(d);
    if (d !== egress && has(d)) { out.push(`PING ${dst}: reply from ${dst} via ${egress.name} (reached ${d.name} in net:[${d.netnsInum}])`); return ok(cur); }
    const ns = nsOf(d);
    if (d.peer) queue.push(d.peer);
    if (ns && d.master) { const br = findDevice(ns, d.master); if (br) queue.push(br); }
    if (ns && d.type === 'bridge') for (const p of ns.devices) if (p.master === d.name) queue.push(p);
  }
  out.push(`PING ${dst}: 100% packet loss (nothing on the link answers; check that both ends are up)`);
  return err('EHOSTUNREACH', `${dst} is not reachable from ${egress.name}`);
}
