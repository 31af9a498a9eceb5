/**
 * Raft throughput: a 3-member RaftCluster (in memory, seeded network with a
 * 1-tick delay) commits 100,000 proposals. Prints exactly one line
 * `raft: N entries/s` (committed and applied on the leader per second of wall
 * time, election excluded). Target >= 100,000 entries/s; etcd-io/raft in Go
 * does about 170,000/s for three members.
 *
 * Batching follows etcd: proposals are stepped one by one; the leader sends a
 * MsgApp per proposal while its in-flight window (MaxInflightMsgs) has room,
 * and once it is full, each ack lets one MsgApp carry every entry appended
 * since (up to MaxSizePerMsg).
 *
 * Run: node --experimental-strip-types sim/bench/raft.ts
 */
import { RaftCluster } from '../src/index.ts';

declare const console: { log(...args: unknown[]): void };
declare const performance: { now(): number };

const TOTAL_PROPOSALS = 100_000;
const PROPOSALS_PER_TICK = 1_000;

function run(): number {
  const c = new RaftCluster({
    members: 3,
    seed: 1,
    delayTicks: [1, 1],
    snapshotCount: 10_000, // etcd v3.6 --snapshot-count default
    snapshotCatchUpEntries: 5_000, // etcd SnapshotCatchUpEntries
    maxInflightMsgs: 256, // etcd raft example/default transport window
  });
  for (let t = 0; t < 1000 && c.leader() === null; t++) c.tick(1);
  const leader = c.leader();
  if (leader === null) throw new Error('no leader elected');
  const start = performance.now();
  const baseApplied = c.status(leader).appliedIndex;
  let proposed = 0;
  let lastIndex = 0;
  while (proposed < TOTAL_PROPOSALS) {
    for (let k = 0; k < PROPOSALS_PER_TICK && proposed < TOTAL_PROPOSALS; k++, proposed++) {
      const r = c.propose(`/registry/pods/default/p-${proposed}`);
      if (!r.accepted) throw new Error(`proposal ${proposed} rejected: ${r.message}`);
      lastIndex = r.index;
    }
    c.tick(1);
  }
  for (let t = 0; t < 1000 && c.brief(leader).appliedIndex < lastIndex; t++) c.tick(1);
  const elapsedMs = performance.now() - start;
  const committed = c.brief(leader).appliedIndex - baseApplied;
  if (committed < TOTAL_PROPOSALS) throw new Error(`only ${committed} of ${TOTAL_PROPOSALS} committed`);
  return committed / (elapsedMs / 1000);
}

// One warm-up run lets the JIT settle; report the best of three measured runs
// (wall time, so a busy machine reads lower).
run();
const rate = Math.max(run(), run(), run());
console.log(`raft: ${Math.round(rate)} entries/s`);
