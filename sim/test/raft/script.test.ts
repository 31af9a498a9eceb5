/**
 * The Raft widget input: parse errors located by line and column, limits,
 * and the shape of the view runRaftScript returns.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RAFT_SCRIPT, RAFT_TIMELINE_MAX_SAMPLES, parseRaftScript, runRaftScript } from '../../src/index.ts';

function firstError(text: string) {
  const r = parseRaftScript(text);
  expect(r.ok).toBe(false);
  return r.ok ? undefined : r.errors[0]!;
}

describe('parseRaftScript errors', () => {
  it.each([
    ['members 3\ntick 10\nfrobnicate 2\n', 'RAFT_SCRIPT_UNKNOWN_COMMAND', 3, 1],
    ['members 3\n  crash 4\n', 'RAFT_SCRIPT_BAD_MEMBER', 2, 9],
    ['members 3\npartition 1 | 2 x\n', 'RAFT_SCRIPT_BAD_MEMBER', 2, 17],
    ['members 3\npartition 1 2 | 2 3\n', 'RAFT_SCRIPT_BAD_MEMBER', 2, 17],
    ['members 8\n', 'LIMIT_EXCEEDED', 1, 9],
    ['tick 5\n', 'RAFT_SCRIPT_MEMBERS_FIRST', 1, 1],
    ['# only a comment\n', 'RAFT_SCRIPT_MEMBERS_FIRST', 1, 1],
    ['members 3\nmembers 5\n', 'RAFT_SCRIPT_DUPLICATE_MEMBERS', 2, 1],
    ['members 3\ntick -1\n', 'RAFT_SCRIPT_BAD_ARGUMENT', 2, 6],
    ['members 3\ntick 60000\ntick 50000\n', 'LIMIT_EXCEEDED', 3, 6],
    ['members 3\npropose-many 10001 w\n', 'LIMIT_EXCEEDED', 2, 14],
    ['members 3 electionTicks=ten\n', 'RAFT_SCRIPT_BAD_OPTION', 1, 11],
    ['members 3 speed=2\n', 'RAFT_SCRIPT_BAD_OPTION', 1, 11],
    ['members 3\nnetwork dropRate=1.5\n', 'RAFT_SCRIPT_BAD_OPTION', 2, 9],
    ['members 3\nheal now\n', 'RAFT_SCRIPT_BAD_ARGUMENT', 2, 6],
    ['members 3\ntick until dawn\n', 'RAFT_SCRIPT_BAD_ARGUMENT', 2, 12],
  ])('%j → %s at %i:%i', (text, code, line, column) => {
    expect(firstError(text)).toMatchObject({ code, line, column });
  });

  it('reports every error, not just the first', () => {
    const r = parseRaftScript('members 3\ncrash 9\nbogus\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.line)).toEqual([2, 3]);
  });

  it('accepts comments, blank lines, `leader`, `all` and `1|2 3` without spaces', () => {
    const r = parseRaftScript('# story\nmembers 3 delay=0-2 preVote=off\n\ncrash leader # boom\nrestart all\npartition leader|2 3\npropose key = value with spaces\n');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.options).toMatchObject({ delayTicks: [0, 2], preVote: false });
      expect(r.value.commands.map((c) => c.op)).toEqual(['members', 'crash', 'restart', 'partition', 'propose']);
      expect(r.value.commands[3]).toMatchObject({ groups: [['leader'], [2, 3]] });
      expect(r.value.commands[4]).toMatchObject({ data: 'key = value with spaces', line: 7 });
    }
  });
});

describe('runRaftScript view', () => {
  it('has one frame per command, JSON-serialisable, and is a function of (text, seed)', () => {
    const a = runRaftScript(DEFAULT_RAFT_SCRIPT, { seed: 3 });
    const b = runRaftScript(DEFAULT_RAFT_SCRIPT, { seed: 3 });
    const c = runRaftScript(DEFAULT_RAFT_SCRIPT, { seed: 4 });
    expect(a.ok && b.ok && c.ok).toBe(true);
    if (!a.ok || !b.ok || !c.ok) return;
    const commands = parseRaftScript(DEFAULT_RAFT_SCRIPT);
    expect(commands.ok && a.value.frames.length).toBe(commands.ok ? commands.value.commands.length : -1);
    expect(JSON.parse(JSON.stringify(a.value))).toEqual(a.value);
    expect(a.value).toEqual(b.value);
    expect(a.value.events).not.toEqual(c.value.events);
    for (const f of a.value.frames) expect(f.members).toHaveLength(3);
  });

  it('keeps the timeline at most 500 samples on long runs, with per-member numbers to draw', () => {
    const r = runRaftScript('members 5\ntick 20000\npropose x\ntick 5000\n', { seed: 1 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const v = r.value;
    expect(v.totalTicks).toBe(25000);
    expect(v.timeline.length).toBeLessThanOrEqual(RAFT_TIMELINE_MAX_SAMPLES);
    expect(v.timeline.length).toBeGreaterThan(RAFT_TIMELINE_MAX_SAMPLES / 4);
    expect(v.tickStride).toBeGreaterThan(1);
    const s = v.timeline[v.timeline.length - 1]!;
    expect(s.members[0]).toEqual(expect.objectContaining({ id: 1, role: expect.any(String), term: expect.any(Number), commitIndex: expect.any(Number), lastIndex: expect.any(Number), lastTerm: expect.any(Number), crashed: false }));
    expect(typeof s.inFlight).toBe('number');
  });

  it('records runtime outcomes that are not errors: no leader to crash, rejected proposals', () => {
    const r = runRaftScript('members 3\ncrash leader\npropose early\n', { seed: 1 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.frames[1]!.outcome).toBe('no leader to crash');
    expect(r.value.frames[2]!.outcome).toContain('rejected');
    expect(r.value.events.some((e) => e.kind === 'proposal-rejected' && e.line === 3)).toBe(true);
  });

  it('names events the way the chapter does', () => {
    const r = runRaftScript(DEFAULT_RAFT_SCRIPT, { seed: 1 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const texts = r.value.events.map((e) => e.text);
    expect(texts.some((t) => /^term \d+: member \d became leader$/.test(t))).toBe(true);
    expect(texts.some((t) => /^member \d stepped down/.test(t))).toBe(true);
  });

  it('a 100,000-tick script with 7 members finishes (limit case)', () => {
    const script = 'members 7\n' + Array.from({ length: 10 }, (_, i) => `tick 9999\npropose-many 100 b${i}\ncrash leader\nrestart all`).join('\n') + '\ntick 10\n';
    const r = runRaftScript(script, { seed: 2 });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.totalTicks).toBe(100_000);
      expect(r.value.violations).toEqual([]);
    }
  }, 30_000);
});
