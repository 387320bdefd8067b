/**
 * A block's L1 origin as the member sees it (DESIGN §6, L1 reorgs): which L1 block, with which
 * hash, a leader names, and whether a member's own L1 view vouches for the one a proposal names.
 *
 * Members read L1 only at their configured depth (l1.confirmations, src/settlement/follower.ts),
 * and the hash binds the block to the L1 history its Inbox view was read from: a leader on
 * another fork of L1 gets no vote, and the Rollup refuses such a block anyway (`blockhash`).
 */
import type { Hex } from "viem";
import type { Header } from "../protocol/header.ts";
import type { InboxEntry } from "../protocol/inbox.ts";

/**
 * What the member knows of L1 (src/node/l1.ts, over the settlement's L1Follower). Absent for a
 * standalone L2: blocks then keep the genesis l1Origin and consume no Inbox entries.
 */
export interface L1View {
  /** The highest L1 block whose Inbox entries this member has read. */
  head(): bigint;
  /** The l1Origin this member, as leader, gives a block it builds at `now` (ms); at most head(). */
  originAt(now: number): bigint;
  /** L1's hash of block `number` as this member read it (undefined above head() or too far below it). */
  hashAt(number: bigint): Hex | undefined;
  /** Every Inbox entry read so far, entry i at index i. */
  inboxEntries(): readonly InboxEntry[];
  /** A proposal named an L1 block beyond head(): read L1 again soon. */
  refresh(): void;
}

/**
 * The L1 block (and its hash, as this member read it) a block built now on `parent` names. Never
 * before the parent's (execution refuses that): a parent from a leader whose L1 view is ahead of
 * ours simply keeps its origin, and so does a standalone L2.
 */
export function originFor(parent: Header, l1: L1View | undefined, now: number): { number: bigint; hash: Hex } {
  const kept = { number: parent.l1Origin, hash: parent.l1OriginHash };
  if (l1 === undefined) return kept;
  const offered = l1.originAt(now);
  const hash = offered > parent.l1Origin ? l1.hashAt(offered) : undefined;
  return hash === undefined ? kept : { number: offered, hash };
}

/**
 * Why this member's L1 view cannot vouch for the block's origin, or undefined when it does: the
 * origin must be a block this member has read, with the hash it read there. An origin below the
 * hashes it keeps (HASH_WINDOW = 1024 L1 blocks, src/settlement/follower.ts) is not checked: only
 * a member catching up on old blocks meets one (a leader names a recent origin), that part of L1
 * is long final, and refusing would leave such a member unable to catch up. Execution still
 * checks that a block keeping its parent's origin keeps its hash.
 */
export function originRefusal(header: Header, l1: L1View | undefined): string | undefined {
  if (l1 === undefined) return undefined;
  // Inbox entries up to l1Origin are part of the block's meaning: a member that has not read L1
  // that far cannot check them (nor that no due entry was skipped), so it does not vote. Leaders
  // pick an origin every member has had time to read (L1View.originAt), so this is rare.
  if (header.l1Origin > l1.head()) {
    l1.refresh();
    return `l1Origin ${header.l1Origin} is beyond this member's L1 head ${l1.head()}`;
  }
  const known = l1.hashAt(header.l1Origin);
  if (known === undefined) return undefined;
  // A leader on another L1 fork (its L1 reorganised, or it reads a different L1): the Inbox it
  // read may differ, and the Rollup would refuse the block anyway.
  if (known.toLowerCase() !== header.l1OriginHash.toLowerCase()) {
    return `l1OriginHash ${header.l1OriginHash} is not L1 block ${header.l1Origin}'s hash ${known} as this member read it: the block was built on another L1 fork`;
  }
  return undefined;
}
