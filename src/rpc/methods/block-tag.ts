/**
 * What the block tags mean on this L2:
 *   latest    the committed head: committed by the two-chain rule, so BFT-final on L2.
 *   safe      the committed head too: a committed block is never reverted by the committee, so
 *             nothing is "safer" on L2 short of L1 finality (finalized).
 *   finalized the highest block settled on L1 (the L1 follower's fact); genesis before any.
 *   pending   the committed head for blocks and state; pending nonces add this member's mempool.
 *   earliest  the genesis block, 0.
 */
import type { RpcContext } from "../context.ts";
import { ResourceNotFoundError } from "../errors.ts";
import { quantity, type BlockTag } from "../params.ts";

export function resolveBlockNumber(tag: BlockTag, ctx: RpcContext): bigint {
  if (typeof tag === "bigint") return tag;
  if (tag === "earliest") return 0n;
  if (tag === "finalized") return ctx.finality()?.number ?? 0n;
  return ctx.committedHeight();
}

/**
 * Account state is kept only at the committed head (no archive): a tag or number that resolves
 * to another block is refused, saying which blocks can be asked. Returns whether the pending
 * nonce applies.
 */
export function readsPending(tag: BlockTag, ctx: RpcContext): boolean {
  if (tag === "pending") return true;
  checkHeadState(tag, ctx);
  return false;
}

export function checkHeadState(tag: BlockTag, ctx: RpcContext): void {
  const head = ctx.committedHeight();
  const number = resolveBlockNumber(tag, ctx);
  if (number === head) return;
  const asked = typeof tag === "bigint" ? quantity(tag) : `${tag} (block ${quantity(number)})`;
  if (number > head) throw new ResourceNotFoundError(`block ${asked} is not committed yet: the committed head is ${quantity(head)}`);
  throw new ResourceNotFoundError(`state at block ${asked} is not kept: this node serves account state only at the committed head ${quantity(head)} (latest, safe) and pending`);
}
