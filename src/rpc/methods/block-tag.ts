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
 * The block an account read or a call names: a number from ctx.oldestState() (the last
 * STATE_HISTORY_BLOCKS commits) to the committed head; "pending" reads the head (its nonces add
 * this member's mempool: readsPending). Anything else is refused, saying which blocks can be asked.
 */
export function stateBlock(tag: BlockTag, ctx: RpcContext): bigint {
  const head = ctx.committedHeight();
  const number = tag === "pending" ? head : resolveBlockNumber(tag, ctx);
  if (number === head) return number;
  const asked = typeof tag === "bigint" ? quantity(tag) : `${tag} (block ${quantity(number)})`;
  if (number > head) throw new ResourceNotFoundError(`block ${asked} is not committed yet: the committed head is ${quantity(head)}`);
  const oldest = ctx.oldestState();
  if (number < oldest) {
    throw new ResourceNotFoundError(`state at block ${asked} is not kept: this node serves account state from block ${quantity(oldest)} to the committed head ${quantity(head)} (latest, safe) and pending`);
  }
  return number;
}

/** The block of an account read, and whether the pending nonce applies ("pending"). */
export function readsPending(tag: BlockTag, ctx: RpcContext): { pending: boolean; at: bigint } {
  return { pending: tag === "pending", at: stateBlock(tag, ctx) };
}
