/**
 * The safety rules of two-chain HotStuff (Jolteon / DiemBFT v4), as pure functions of the
 * persisted safety state. Everything that can make a member sign lives behind these checks.
 */
import type { Block, QC, SafetyState, TC } from "./types.ts";

export function maxHighQcView(tc: TC): bigint {
  let max = 0n;
  for (const v of tc.highQcViews) if (v > max) max = v;
  return max;
}

/**
 * Voting rule: vote for `block` in its view v at most once, only if v > lastVotedView and either
 * the block extends the QC of view v - 1 (the happy path), or a TC for v - 1 justifies the jump
 * and the block extends a QC at least as high as every QC the TC's signers reported.
 *
 * Why the TC clause is safe: if some block B of view w was committed, its child's QC (view w + 1)
 * has n - f votes, so any n - f timeouts include an honest member that held a QC of view >= w on
 * B's branch (it voted for the child after seeing B's QC); a proposal extending a QC at least that
 * high extends B. `lastVotedView` is raised on every timeout too, so a member never votes in a
 * view it already gave up (the TC for that view counts it as not voting).
 */
export function isSafeToVote(safety: SafetyState, block: Block, tc: TC | undefined): boolean {
  const v = block.header.view;
  if (v <= safety.lastVotedView) return false;
  if (block.justify.view + 1n === v) return true;
  return tc !== undefined && tc.view + 1n === v && block.justify.view >= maxHighQcView(tc);
}

/** The state after voting in `view`; persisted before the vote leaves the member. */
export function recordVote(safety: SafetyState, view: bigint): SafetyState {
  return { ...safety, lastVotedView: view };
}

/** A higher QC replaces the high QC; it is what this member's timeouts and proposals extend. */
export function updateHighQc(safety: SafetyState, qc: QC): SafetyState {
  return qc.view > safety.highQc.view ? { ...safety, highQc: qc } : safety;
}

export function initialSafetyState(genesisQc: QC): SafetyState {
  return { lastVotedView: 0n, lastProposedView: 0n, lastTimeoutView: 0n, lastTimeout: null, highQc: genesisQc };
}
