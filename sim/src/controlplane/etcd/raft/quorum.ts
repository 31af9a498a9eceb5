/**
 * Majority quorums. Upstream: etcd-io/raft `quorum/majority.go` (main at
 * 00db8d31): CommittedIndex and VoteResult for a MajorityConfig. Joint
 * configurations are not modelled (membership is fixed).
 */

export type VoteResult = 'VotePending' | 'VoteLost' | 'VoteWon';

/**
 * The highest index acknowledged by a majority of `voters`: sort the acked
 * indexes and take the one n/2+1 from the top. Voters that have not reported
 * count as 0.
 */
export function committedIndex(voters: readonly number[], acked: (id: number) => number): number {
  const n = voters.length;
  if (n === 0) return Number.MAX_SAFE_INTEGER;
  // Insertion sort into a reused buffer: n <= 7 here (upstream keeps it on the stack for the same reason).
  const srt = n <= SCRATCH.length ? SCRATCH : new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const v = acked(voters[i]!);
    let j = i;
    while (j > 0 && srt[j - 1]! > v) {
      srt[j] = srt[j - 1]!;
      j--;
    }
    srt[j] = v;
  }
  return srt[n - (Math.floor(n / 2) + 1)]!;
}

const SCRATCH: number[] = [0, 0, 0, 0, 0, 0, 0];

/**
 * Won once a majority said yes, lost once a majority can no longer say yes,
 * pending otherwise. `votes` maps voter id to its answer; missing voters have
 * not answered yet.
 */
export function voteResult(voters: readonly number[], votes: ReadonlyMap<number, boolean>): VoteResult {
  if (voters.length === 0) return 'VoteWon';
  let granted = 0;
  let missing = 0;
  for (const id of voters) {
    const v = votes.get(id);
    if (v === undefined) missing++;
    else if (v) granted++;
  }
  const q = Math.floor(voters.length / 2) + 1;
  if (granted >= q) return 'VoteWon';
  if (granted + missing >= q) return 'VotePending';
  return 'VoteLost';
}
