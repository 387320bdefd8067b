/**
 * Committee epochs as a member lives through them (DESIGN §6: "the epoch changes only at a
 * settled boundary").
 *
 * L1 starts a new epoch when the Rollup settles a batch after a membership change (an ejection
 * by slashing): Committee emits `EpochStarted(epoch, memberIds)` in that settlement's L1 block X.
 * Every member learns X from its L1 follower, and the chain itself fixes where the committee
 * changes: the boundary block T is the first block whose `l1Origin` is at least X and whose child
 * has the next view (findBoundary). `l1Origin` is in the header, agreed by consensus, and a member
 * validates a block only once it has read L1 up to its origin (so it has seen the event); it
 * refuses to vote for T's grandchildren in the old epoch, so no quorum can commit past T there,
 * and every honest member switches at the same T. The old committee's consensus ends at T; the new committee's core starts with T as its
 * genesis (its QC is the genesis QC at T's view, so views keep increasing along the chain), signs
 * in the new epoch's domain, counts quorums over the new member order, and keeps its own safety
 * state and signed-message ledger (both keyed by epoch).
 *
 * L1 settles only commit proofs of its current epoch: the blocks the old committee committed
 * after the last settled block become final as the first headers of the new committee's first
 * batch (Rollup checks the last header's proof only). A member that is not in the new epoch
 * (the ejected one) stops signing.
 *
 * Member ids: the deployment registers the genesis committee in config order, so id i is
 * `committee[i]` of the config. A later epoch can only name members the config lists; one that
 * names a member registered after the deployment cannot be joined (EPOCH_UNKNOWN_MEMBER).
 */
import type { Hex } from "viem";
import type { Block } from "../consensus/index.ts";
import type { EpochStart } from "../settlement/index.ts";

export const EPOCH_FACT = "consensus:epoch";

export interface EpochState {
  readonly epoch: bigint;
  /** Config committee indexes in the epoch's order: signer index i of this epoch is config member members[i]. */
  readonly members: readonly number[];
  /** The block the epoch's core starts from; absent for the deployment's genesis epoch. */
  readonly boundary?: { readonly number: bigint; readonly hash: Hex; readonly view: bigint };
}

export class EpochError extends Error {
  readonly code = "EPOCH_UNKNOWN_MEMBER";
}

/** The deployment's epoch: every configured member, from genesis. */
export function genesisEpoch(epoch: bigint, committeeSize: number): EpochState {
  return { epoch, members: Array.from({ length: committeeSize }, (_, i) => i) };
}

export function encodeEpoch(e: EpochState): string {
  const boundary = e.boundary === undefined ? undefined : { number: e.boundary.number.toString(), hash: e.boundary.hash, view: e.boundary.view.toString() };
  return JSON.stringify({ epoch: e.epoch.toString(), members: e.members, boundary });
}

/** Reads what encodeEpoch wrote; throws on anything else (the caller reports the store as damaged). */
export function decodeEpoch(text: string): EpochState {
  const o = JSON.parse(text) as { epoch?: unknown; members?: unknown; boundary?: { number?: unknown; hash?: unknown; view?: unknown } };
  const decimal = (x: unknown, what: string): bigint => {
    if (typeof x !== "string" || !/^\d+$/.test(x)) throw new Error(`${what} must be a decimal string`);
    return BigInt(x);
  };
  if (!Array.isArray(o.members) || o.members.length === 0 || !o.members.every((m) => Number.isInteger(m) && m >= 0)) throw new Error("members must be a non-empty list of member indexes");
  const epoch = decimal(o.epoch, "epoch");
  if (o.boundary === undefined) return { epoch, members: o.members as number[] };
  const b = o.boundary;
  if (typeof b.hash !== "string" || !/^0x[0-9a-f]{64}$/i.test(b.hash)) throw new Error("boundary.hash must be a 32-byte hex string");
  return { epoch, members: o.members as number[], boundary: { number: decimal(b.number, "boundary.number"), hash: b.hash as Hex, view: decimal(b.view, "boundary.view") } };
}

/** The epoch L1 started after `current`, in config indexes; undefined until L1 has started one. */
export function nextEpochStart(current: EpochState, started: readonly EpochStart[], committeeSize: number): { start: EpochStart; members: number[] } | undefined {
  const start = started.find((e) => e.epoch === current.epoch + 1n);
  if (start === undefined) return undefined;
  const unknown = start.members.filter((id) => id >= committeeSize);
  if (unknown.length > 0) {
    throw new EpochError(`epoch ${start.epoch} (L1 block ${start.l1Block}) names member ids ${unknown.join(", ")}, which this member's config does not list (it lists ${committeeSize}): this node cannot follow that committee`);
  }
  return { start, members: [...start.members] };
}

/**
 * The boundary block of the epoch that starts at L1 block `l1Block`: the first committed block
 * above `from` whose l1Origin is at least `l1Block` and whose child has the next view, so that the
 * two-chain over it commits it (the committed head always has such a child: the commit proof's).
 * Members do not vote for the boundary's grandchildren in the old epoch (Chain.validateBlock), so
 * no quorum can commit past it, and every honest member switches at the same block. Undefined
 * when the committed chain has not reached it yet.
 */
export function findBoundary(l1Block: bigint, from: bigint, head: bigint, blockAt: (n: bigint) => Block | undefined): Block | undefined {
  for (let n = from + 1n; n <= head; n++) {
    const block = blockAt(n);
    if (block === undefined || block.header.l1Origin < l1Block) continue;
    if (n === head || blockAt(n + 1n)?.header.view === block.header.view + 1n) return block;
  }
  return undefined;
}
