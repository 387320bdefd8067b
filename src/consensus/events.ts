/**
 * The core's inputs and outputs (etcd raft's Step/Ready, flattened): the adapter feeds one
 * `Event` at a time and gets back an ordered list of `Action`s to carry out, in order.
 */
import type { Hex } from "viem";
import type { Message } from "./messages.ts";
import type { Block, Evidence, Proposal, QC, SafetyState } from "./types.ts";

export type Event =
  /** Boot (or reboot after a crash): arms the view timer and lets a leader propose. */
  | { readonly type: "start"; readonly now: number }
  /** The clock, at or after the time of the last schedule-timer action (early ticks are harmless). */
  | { readonly type: "tick"; readonly now: number }
  /** A message from committee member `from` (the transport authenticates `from`). */
  | { readonly type: "message"; readonly now: number; readonly from: number; readonly message: Message }
  /** Asks the leader of the current view to propose now if it has not yet (e.g. payload ready). */
  | { readonly type: "propose"; readonly now: number }
  /**
   * Gives up on `view` before its deadline: the adapter knows the view cannot succeed (the member
   * its progress depends on has no link: crashed). Times out as the timer would; ignored unless
   * `view` is the current view and this member has not timed out in it yet. Always safe: a
   * timeout only stops this member from voting in the view.
   */
  | { readonly type: "give-up"; readonly now: number; readonly view: bigint };

export interface CommittedBlock {
  readonly hash: Hex;
  readonly block: Block;
}

/**
 * ORDERING RULE (the one thing an adapter must get right): carry out actions in list order, and
 * a `persist-safety` action must be durable (fsync'd) before any later `send` or `broadcast` of
 * the same list leaves the node. The core always places the persist before the signed message it
 * protects, so after a crash the restored safety state already covers every vote, timeout and
 * proposal a peer may have seen: the member can never sign a second, different one in that view.
 * `persist-block` may be written lazily (a lost block is fetched again by sync).
 */
export type Action =
  | { readonly type: "persist-safety"; readonly state: SafetyState }
  | { readonly type: "persist-block"; readonly hash: Hex; readonly proposal: Proposal }
  | { readonly type: "send"; readonly to: number; readonly message: Message }
  /** To every other member. */
  | { readonly type: "broadcast"; readonly message: Message }
  /**
   * `blocks` (oldest first) are final. `proof` is the two-chain that finalizes the last of them:
   * its child (view + 1, whose justify is the QC over the last block) and the QC over that child —
   * exactly the commit proof that `Rollup.settle` verifies on L1.
   */
  | { readonly type: "commit"; readonly blocks: readonly CommittedBlock[]; readonly proof: { readonly child: Block; readonly childQc: QC } }
  /** Deliver a `tick` at (or after) `at`; replaces any earlier timer. */
  | { readonly type: "schedule-timer"; readonly at: number }
  | { readonly type: "report-evidence"; readonly evidence: Evidence }
  /** A message that was dropped, and why (for logs and tests; no reply is owed). */
  | { readonly type: "reject"; readonly from: number; readonly reason: string };
