/**
 * The instruction cycle as a step trace (Layer 0 "CPU": fetch, decode,
 * execute, write-back). A classic in-order 4-stage pipeline: IF fetches the
 * next instruction, ID decodes it and reads registers, EX computes (and
 * accesses memory for LOAD/STORE), WB writes the result register. Without
 * forwarding, an instruction that reads a register written by the
 * instruction directly ahead of it waits one cycle in ID (a bubble) — the
 * register is written in WB in the first half of a cycle and read in ID in
 * the second half. One tick = one clock cycle.
 *
 * Program text, one instruction per line (`#` comments):
 *   MOV r1, 5        LOAD r2, [x]     STORE r2, [y]
 *   ADD r3, r1, r2   SUB r3, r3, 1    MUL r4, r3, r3    NOP
 *   x = 7            (a memory cell and its initial value)
 */
import { fail, ok, simError, type Result, type SimError } from '../../core/result.ts';

export const PIPELINE_LIMITS = { instructionsMax: 32, textMaxChars: 4000 } as const;

export const DEFAULT_PIPELINE_PROGRAM = `# a = x + y を計算して z に書く
x = 7
y = 5
LOAD r1, [x]
LOAD r2, [y]
ADD  r3, r1, r2    # r2 を直前の LOAD が書くので 1 サイクル待つ
MOV  r4, 2
MUL  r5, r3, r4
STORE r5, [z]
`;

type Operand = { reg: number } | { imm: number } | { mem: string };

export interface Instruction {
  line: number;
  text: string;
  op: 'MOV' | 'LOAD' | 'STORE' | 'ADD' | 'SUB' | 'MUL' | 'NOP';
  dst: number | null;
  srcRegs: number[];
  operands: Operand[];
}

export interface PipelineCycle {
  cycle: number;
  IF: string | null;
  ID: string | null;
  EX: string | null;
  WB: string | null;
  /** Why the pipeline stalled this cycle, if it did. */
  stall: string | null;
}

export interface PipelineView {
  cycles: PipelineCycle[];
  instructions: number;
  pipelinedCycles: number;
  /** 4 cycles per instruction if each ran alone through all stages. */
  unpipelinedCycles: number;
  stalls: number;
  cpi: number;
  registers: Record<string, number>;
  memory: Record<string, number>;
}

const REG = /^r([0-7])$/;

export function parseProgram(text: string): Result<{ program: Instruction[]; memory: Map<string, number> }> {
  if (text.length > PIPELINE_LIMITS.textMaxChars) return fail(simError('LIMIT_EXCEEDED', `program is longer than ${PIPELINE_LIMITS.textMaxChars} characters`, { line: 1, column: 1 }));
  const errors: SimError[] = [];
  const program: Instruction[] = [];
  const memory = new Map<string, number>();
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const body = (raw.includes('#') ? raw.slice(0, raw.indexOf('#')) : raw).trimEnd();
    if (body.trim() === '') return;
    const col0 = body.length - body.trimStart().length + 1;
    const err = (m: string, column = col0) => errors.push(simError('ASM_SYNTAX', m, { line, column }));
    const cell = /^\s*([a-z_]\w*)\s*=\s*(-?\d+)\s*$/.exec(body);
    if (cell) {
      memory.set(cell[1]!, Number(cell[2]));
      return;
    }
    const m = /^\s*([A-Za-z]+)\s*(.*)$/.exec(body)!;
    const op = m[1]!.toUpperCase() as Instruction['op'];
    const argText = m[2]!;
    const args = argText.trim() === '' ? [] : argText.split(',').map((a) => a.trim());
    const argCol = (k: number) => body.indexOf(args[k]!, col0 + m[1]!.length - 1) + 1;
    const operand = (k: number): Operand | undefined => {
      const a = args[k];
      if (a === undefined) return undefined;
      const r = REG.exec(a);
      if (r) return { reg: Number(r[1]) };
      if (/^-?\d+$/.test(a)) return { imm: Number(a) };
      const mm = /^\[([a-z_]\w*)\]$/.exec(a);
      if (mm) return { mem: mm[1]! };
      err(`"${a}" is not a register (r0–r7), a number or a memory cell like [x]`, argCol(k));
      return undefined;
    };
    const arity: Record<string, number> = { MOV: 2, LOAD: 2, STORE: 2, ADD: 3, SUB: 3, MUL: 3, NOP: 0 };
    if (!(op in arity)) return err(`unknown instruction "${m[1]}" (use MOV, LOAD, STORE, ADD, SUB, MUL, NOP)`);
    if (args.length !== arity[op]) return err(`${op} takes ${arity[op]} operand(s), got ${args.length}`);
    const ops = args.map((_, k) => operand(k));
    if (ops.some((o) => o === undefined)) return;
    const operands = ops as Operand[];
    const isReg = (o: Operand): o is { reg: number } => 'reg' in o;
    let dst: number | null = null;
    const srcRegs: number[] = [];
    if (op === 'STORE') {
      if (!isReg(operands[0]!) || !('mem' in operands[1]!)) return err('STORE takes a register and a memory cell: STORE r1, [x]');
      srcRegs.push(operands[0]!.reg);
    } else if (op !== 'NOP') {
      if (!isReg(operands[0]!)) return err(`${op} writes a register first: ${op} r1, …`, argCol(0));
      dst = operands[0]!.reg;
      if (op === 'LOAD' && !('mem' in operands[1]!)) return err('LOAD reads a memory cell: LOAD r1, [x]', argCol(1));
      if (op === 'MOV' && 'mem' in operands[1]!) return err('MOV takes a register or a number; use LOAD for memory', argCol(1));
      for (const o of operands.slice(1)) {
        if (isReg(o)) srcRegs.push(o.reg);
        else if ('mem' in o && op !== 'LOAD') return err(`${op} works on registers and numbers; LOAD memory first`, argCol(1));
      }
    }
    if (program.length >= PIPELINE_LIMITS.instructionsMax) return err(`at most ${PIPELINE_LIMITS.instructionsMax} instructions`);
    program.push({ line, text: body.trim().replace(/\s+/g, ' '), op, dst, srcRegs, operands });
  });
  if (errors.length === 0 && program.length === 0) errors.push(simError('ASM_SYNTAX', 'the program has no instructions', { line: 1, column: 1 }));
  if (errors.length) return fail(errors);
  return ok({ program, memory });
}

/** Runs the program through the 4-stage pipeline and returns the cycle-by-cycle trace. */
export function runPipeline(text: string): Result<PipelineView> {
  const parsed = parseProgram(text);
  if (!parsed.ok) return parsed;
  const { program, memory } = parsed.value;
  const regs = new Array<number>(8).fill(0);
  const pending = new Array<number | null>(8).fill(null); // value computed in EX, not yet written back
  let IF: number | null = null, ID: number | null = null, EX: number | null = null, WB: number | null = null;
  let pc = 0;
  let stalls = 0;
  const cycles: PipelineCycle[] = [];
  const val = (o: Operand): number => ('reg' in o ? regs[o.reg]! : 'imm' in o ? o.imm : memory.get(o.mem) ?? 0);
  for (let cycle = 1; cycle <= 4 * program.length + 8; cycle++) {
    // Advance from the back so each stage moves into the slot freed this cycle.
    if (WB !== null) {
      const ins = program[WB]!;
      if (ins.dst !== null) {
        regs[ins.dst] = pending[ins.dst]!;
        pending[ins.dst] = null;
      }
    }
    WB = EX;
    EX = null;
    let stall: string | null = null;
    if (ID !== null) {
      const ins = program[ID]!;
      const producer = WB !== null ? program[WB]! : null; // just left EX: its result is not in the register file yet
      const hazard = producer && producer.dst !== null && ins.srcRegs.includes(producer.dst) ? producer : null;
      if (hazard) {
        stall = `${ins.text} waits in ID: r${hazard.dst} is written by "${hazard.text}" (read-after-write)`;
        stalls++;
      } else {
        EX = ID;
        ID = null;
      }
    }
    if (EX !== null) {
      const ins = program[EX]!;
      const o = ins.operands;
      if (ins.op === 'MOV' || ins.op === 'LOAD') pending[ins.dst!] = val(o[1]!);
      else if (ins.op === 'ADD') pending[ins.dst!] = val(o[1]!) + val(o[2]!);
      else if (ins.op === 'SUB') pending[ins.dst!] = val(o[1]!) - val(o[2]!);
      else if (ins.op === 'MUL') pending[ins.dst!] = val(o[1]!) * val(o[2]!);
      else if (ins.op === 'STORE') memory.set((o[1] as { mem: string }).mem, val(o[0]!));
    }
    if (ID === null && IF !== null) {
      ID = IF;
      IF = null;
    }
    if (IF === null && pc < program.length) IF = pc++;
    const name = (i: number | null) => (i === null ? null : program[i]!.text);
    if (IF === null && ID === null && EX === null && WB === null) break;
    cycles.push({ cycle, IF: name(IF), ID: name(ID), EX: name(EX), WB: name(WB), stall });
  }
  // The last WB writes its register at the end of its cycle.
  if (WB !== null && program[WB]!.dst !== null) regs[program[WB]!.dst!] = pending[program[WB]!.dst!]!;
  const registers: Record<string, number> = {};
  regs.forEach((v, i) => {
    if (v !== 0 || program.some((p) => p.dst === i)) registers[`r${i}`] = v;
  });
  return ok({
    cycles,
    instructions: program.length,
    pipelinedCycles: cycles.length,
    unpipelinedCycles: 4 * program.length,
    stalls,
    cpi: cycles.length / program.length,
    registers,
    memory: Object.fromEntries(memory),
  });
}
