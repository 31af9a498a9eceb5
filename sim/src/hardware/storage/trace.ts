/**
 * The I/O trace language of the storage widget: one command per line, `#`
 * comments. Sizes are binary (`4k` = 4 KiB, `64MiB`), as in fio.
 *
 *   ssd capacity=256MiB op=7% dies=16 block=1MiB  the drive (before the first I/O)
 *   cache size=64MiB                              the page cache (before the first I/O)
 *   scheduler mq-deadline | none                  the elevator (may change between phases)
 *   write seq 64MiB bs=128k                       buffered sequential write
 *   write rand 16MiB bs=4k direct qd=8            O_DIRECT random write, 8 in flight
 *   read rand 8MiB bs=4k range=0..64MiB           random reads inside a region
 *   read seq 32MiB bs=128k offset=64MiB           sequential reads from an offset
 *   trim 0..8MiB                                  discard a range (fstrim / blkdiscard)
 *   sync                                          write back all dirty pages and wait
 *   drop-caches                                   echo 1 > /proc/sys/vm/drop_caches
 *
 * Errors carry the line and the column of the offending token.
 */
import { fail, ok, simError, type Result, type SimError } from '../../core/result.ts';
import { parseSizeBytes, formatBytes } from '../input.ts';
import { SECTOR_BYTES } from './nand.ts';
import type { Elevator } from './scheduler.ts';

export const STORAGE_LIMITS = {
  textMaxChars: 20000,
  linesMax: 64,
  capacityMinBytes: 16 * 1024 * 1024,
  capacityMaxBytes: 1024 * 1024 * 1024,
  cacheMaxBytes: 1024 * 1024 * 1024,
  /** Sum of all reads and writes in one trace. */
  totalIoMaxBytes: 1024 * 1024 * 1024,
  bsMaxBytes: 4 * 1024 * 1024,
  qdMax: 64,
  diesMax: 64,
} as const;

export interface SsdConfig {
  capacityBytes: number;
  overProvisioning: number;
  dies: number;
  blockBytes: number;
  cacheBytes: number;
}

export type TraceStep =
  | { kind: 'io'; line: number; text: string; op: 'read' | 'write'; pattern: 'seq' | 'rand'; bytes: number; bs: number; direct: boolean; qd: number; rangeStart: number; rangeEnd: number; offset: number }
  | { kind: 'trim'; line: number; text: string; start: number; end: number }
  | { kind: 'sync'; line: number; text: string }
  | { kind: 'drop-caches'; line: number; text: string }
  | { kind: 'scheduler'; line: number; text: string; elevator: Elevator };

export interface ParsedTrace {
  config: SsdConfig;
  initialElevator: Elevator;
  steps: TraceStep[];
}

interface Token {
  text: string;
  column: number;
}

function tokens(line: string): Token[] {
  const out: Token[] = [];
  for (const m of line.matchAll(/\S+/g)) out.push({ text: m[0], column: (m.index ?? 0) + 1 });
  return out;
}

export function parseTrace(text: string): Result<ParsedTrace> {
  if (text.length > STORAGE_LIMITS.textMaxChars) {
    return fail(simError('LIMIT_EXCEEDED', `trace is ${text.length} characters; the limit is ${STORAGE_LIMITS.textMaxChars}`, { line: 1, column: 1 }));
  }
  const errors: SimError[] = [];
  const config: SsdConfig = { capacityBytes: 256 * 1024 * 1024, overProvisioning: 0.07, dies: 16, blockBytes: 1024 * 1024, cacheBytes: 64 * 1024 * 1024 };
  let initialElevator: Elevator = 'mq-deadline';
  const steps: TraceStep[] = [];
  let totalIo = 0;
  let commandLines = 0;
  const lines = text.split('\n');
  const pending: { line: number; tok: Token; bytes: number; what: string }[] = [];

  lines.forEach((raw, i) => {
    const line = i + 1;
    const hash = raw.indexOf('#');
    const body = hash >= 0 ? raw.slice(0, hash) : raw;
    const toks = tokens(body);
    if (toks.length === 0) return;
    const err = (tok: Token, message: string, code = 'TRACE_SYNTAX') => errors.push(simError(code, message, { line, column: tok.column }));
    if (++commandLines > STORAGE_LIMITS.linesMax) {
      if (commandLines === STORAGE_LIMITS.linesMax + 1) err(toks[0]!, `at most ${STORAGE_LIMITS.linesMax} commands`, 'LIMIT_EXCEEDED');
      return;
    }
    const cmd = toks[0]!;
    const stepText = body.trim();
    const opts = new Map<string, Token & { value: string; valueColumn: number }>();
    const flags: Token[] = [];
    const positional: Token[] = [];
    for (const t of toks.slice(1)) {
      const eq = t.text.indexOf('=');
      if (eq > 0) {
        const key = t.text.slice(0, eq);
        if (opts.has(key)) err(t, `option "${key}" given twice`);
        opts.set(key, { ...t, value: t.text.slice(eq + 1), valueColumn: t.column + eq + 1 });
      } else if (/^[a-z-]+$/.test(t.text) && (t.text === 'direct' || t.text === 'seq' || t.text === 'rand' || t.text === 'none' || t.text === 'mq-deadline' || t.text === 'kyber' || t.text === 'bfq')) flags.push(t);
      else positional.push(t);
    }
    const allowOpts = (allowed: string[]) => {
      for (const [k, t] of opts) if (!allowed.includes(k)) err(t, `unknown option "${k}" for ${cmd.text} (use ${allowed.join(', ') || 'no options'})`);
    };
    const sizeOpt = (key: string, min: number, max: number): number | undefined => {
      const t = opts.get(key);
      if (!t) return undefined;
      const b = parseSizeBytes(t.value);
      if (b === undefined) {
        errors.push(simError('TRACE_SYNTAX', `${key} must be a size like 4k or 64MiB, got "${t.value}"`, { line, column: t.valueColumn }));
        return undefined;
      }
      if (b < min || b > max) {
        errors.push(simError('LIMIT_EXCEEDED', `${key} must be between ${formatBytes(min)} and ${formatBytes(max)}, got ${formatBytes(b)}`, { line, column: t.valueColumn }));
        return undefined;
      }
      if (b % SECTOR_BYTES !== 0) {
        errors.push(simError('TRACE_SYNTAX', `${key} must be a multiple of 4 KiB (the sector size), got ${b} bytes`, { line, column: t.valueColumn }));
        return undefined;
      }
      return b;
    };
    const rangeOf = (value: string, column: number): [number, number] | undefined => {
      const m = /^([^.]+)\.\.([^.]+)$/.exec(value);
      const a = m ? parseSizeBytes(m[1]!) : undefined;
      const b = m ? parseSizeBytes(m[2]!) : undefined;
      if (a === undefined || b === undefined) {
        errors.push(simError('TRACE_SYNTAX', `a range looks like 0..8MiB, got "${value}"`, { line, column }));
        return undefined;
      }
      if (a % SECTOR_BYTES || b % SECTOR_BYTES || b <= a) {
        errors.push(simError('TRACE_SYNTAX', `range ${value} must run forwards and be 4 KiB-aligned`, { line, column }));
        return undefined;
      }
      pending.push({ line, tok: { text: value, column }, bytes: b, what: 'range end' });
      return [a, b];
    };

    switch (cmd.text) {
      case 'ssd':
      case 'cache': {
        if (steps.some((s) => s.kind !== 'scheduler')) return err(cmd, `"${cmd.text}" settings must come before the first I/O command`);
        if (positional.length || flags.length) err((positional[0] ?? flags[0])!, 'settings are key=value options');
        if (cmd.text === 'ssd') {
          allowOpts(['capacity', 'op', 'dies', 'block']);
          config.capacityBytes = sizeOpt('capacity', STORAGE_LIMITS.capacityMinBytes, STORAGE_LIMITS.capacityMaxBytes) ?? config.capacityBytes;
          config.blockBytes = sizeOpt('block', 64 * 1024, 4 * 1024 * 1024) ?? config.blockBytes;
          const op = opts.get('op');
          if (op) {
            const m = /^(\d+(?:\.\d+)?)%$/.exec(op.value);
            const v = m ? Number(m[1]) / 100 : NaN;
            if (!(v >= 0.02 && v <= 1)) errors.push(simError('LIMIT_EXCEEDED', `op (over-provisioning) must be a percentage from 2% to 100%, got "${op.value}"`, { line, column: op.valueColumn }));
            else config.overProvisioning = v;
          }
          const dies = opts.get('dies');
          if (dies) {
            const n = /^\d+$/.test(dies.value) ? Number(dies.value) : NaN;
            if (!(n >= 1 && n <= STORAGE_LIMITS.diesMax)) errors.push(simError('LIMIT_EXCEEDED', `dies must be an integer from 1 to ${STORAGE_LIMITS.diesMax}, got "${dies.value}"`, { line, column: dies.valueColumn }));
            else config.dies = n;
          }
        } else {
          allowOpts(['size']);
          config.cacheBytes = sizeOpt('size', 1024 * 1024, STORAGE_LIMITS.cacheMaxBytes) ?? config.cacheBytes;
        }
        return;
      }
      case 'scheduler': {
        const t = flags[0] ?? positional[0];
        if (!t) return err(cmd, 'scheduler needs a name: none or mq-deadline');
        if (t.text === 'kyber' || t.text === 'bfq') return err(t, `${t.text} is a real Linux scheduler but is not simulated here; use none or mq-deadline`, 'NOT_SIMULATED');
        if (t.text !== 'none' && t.text !== 'mq-deadline') return err(t, `unknown scheduler "${t.text}" (use none or mq-deadline)`);
        if (steps.length === 0) initialElevator = t.text;
        steps.push({ kind: 'scheduler', line, text: stepText, elevator: t.text });
        return;
      }
      case 'sync':
      case 'drop-caches':
        if (toks.length > 1) err(toks[1]!, `${cmd.text} takes no arguments`);
        steps.push(cmd.text === 'sync' ? { kind: 'sync', line, text: stepText } : { kind: 'drop-caches', line, text: stepText });
        return;
      case 'trim': {
        const t = positional[0];
        if (!t || toks.length !== 2) return err(cmd, 'trim takes one range, e.g. trim 0..8MiB');
        const r = rangeOf(t.text, t.column);
        if (r) steps.push({ kind: 'trim', line, text: stepText, start: r[0], end: r[1] });
        return;
      }
      case 'read':
      case 'write': {
        allowOpts(['bs', 'qd', 'range', 'offset']);
        const pattern = flags.find((f) => f.text === 'seq' || f.text === 'rand');
        if (!pattern) return err(cmd, `say the pattern: "${cmd.text} seq …" or "${cmd.text} rand …"`);
        const sizeTok = positional[0];
        if (!sizeTok) return err(cmd, `give a total size, e.g. "${cmd.text} ${pattern.text} 16MiB bs=4k"`);
        for (const extra of positional.slice(1)) err(extra, `unexpected "${extra.text}"`);
        for (const f of flags) if (f !== pattern && f.text !== 'direct') err(f, `unexpected "${f.text}"`);
        const bytes = parseSizeBytes(sizeTok.text);
        if (bytes === undefined || bytes <= 0) return err(sizeTok, `"${sizeTok.text}" is not a size like 16MiB`);
        const bs = sizeOpt('bs', SECTOR_BYTES, STORAGE_LIMITS.bsMaxBytes) ?? SECTOR_BYTES;
        if (bytes % bs !== 0) return err(sizeTok, `total ${formatBytes(bytes)} is not a multiple of bs=${formatBytes(bs)}`);
        totalIo += bytes;
        if (totalIo > STORAGE_LIMITS.totalIoMaxBytes) return err(sizeTok, `the trace moves more than ${formatBytes(STORAGE_LIMITS.totalIoMaxBytes)} in total (the simulator's limit)`, 'LIMIT_EXCEEDED');
        const direct = flags.some((f) => f.text === 'direct');
        let qd = 1;
        const qdTok = opts.get('qd');
        if (qdTok) {
          const n = /^\d+$/.test(qdTok.value) ? Number(qdTok.value) : NaN;
          if (!(n >= 1 && n <= STORAGE_LIMITS.qdMax)) errors.push(simError('LIMIT_EXCEEDED', `qd must be an integer from 1 to ${STORAGE_LIMITS.qdMax}, got "${qdTok.value}"`, { line, column: qdTok.valueColumn }));
          else if (!direct) errors.push(simError('TRACE_SYNTAX', 'qd applies to direct I/O only (a buffered read()/write() call waits for itself)', { line, column: qdTok.column }));
          else qd = n;
        }
        const rt = opts.get('range');
        const range = rt ? rangeOf(rt.value, rt.valueColumn) : undefined;
        const offset = sizeOpt('offset', 0, STORAGE_LIMITS.capacityMaxBytes) ?? 0;
        const ot = opts.get('offset');
        if (ot) pending.push({ line, tok: { text: ot.value, column: ot.valueColumn }, bytes: offset + 1, what: 'offset' });
        steps.push({
          kind: 'io', line, text: stepText, op: cmd.text, pattern: pattern.text as 'seq' | 'rand', bytes, bs, direct, qd,
          rangeStart: range?.[0] ?? 0, rangeEnd: range?.[1] ?? -1, offset,
        });
        return;
      }
      default:
        err(cmd, `unknown command "${cmd.text}" (use ssd, cache, scheduler, read, write, trim, sync, drop-caches)`);
    }
  });
  for (const p of pending) {
    if (p.bytes > config.capacityBytes) errors.push(simError('FIELD_INVALID', `${p.what} ${p.tok.text} lies beyond the drive's ${formatBytes(config.capacityBytes)}`, { line: p.line, column: p.tok.column }));
  }
  for (const s of steps) {
    if (s.kind !== 'io') continue;
    const end = s.rangeEnd < 0 ? config.capacityBytes : s.rangeEnd;
    if (end - s.rangeStart < s.bs) errors.push(simError('FIELD_INVALID', `the range is smaller than one block of bs=${formatBytes(s.bs)}`, { line: s.line, column: 1 }));
  }
  if (errors.length === 0 && !steps.some((s) => s.kind !== 'scheduler')) errors.push(simError('TRACE_SYNTAX', 'the trace has no I/O; add a line like "write rand 16MiB bs=4k"', { line: 1, column: 1 }));
  if (errors.length) return fail(errors);
  return ok({ config, initialElevator, steps });
}
