import type { Hex } from "viem";
import type { RpcContext } from "../context.ts";
import { blockRefParam, expectParams, quantity } from "../params.ts";
import type { RpcMethod } from "../registry.ts";
import { resolveBlockNumber } from "./block-tag.ts";

/**
 * How final a block (by number, tag or hash) or a transaction (by hash) is:
 *   pending    known but not committed (a transaction in the mempool, a number above the head);
 *   committed  committed by the committee (two-chain rule): final on L2, not yet settled on L1;
 *   finalized  settled on L1: its number is at most L1's finalized number and the finalized head
 *              is on this member's canonical chain. `l1` is the transaction and L1 block that
 *              finalized that head (the follower's fact), which covers every block up to it.
 * null for a hash this member does not know.
 */
export const rollup_getFinality: RpcMethod = (params, ctx) => {
  expectParams(params, 1, 1, "[blockNumberOrHashOrTransactionHash]");
  const ref = blockRefParam(params[0], "blockNumberOrHashOrTransactionHash");
  if (typeof ref === "object") {
    const block = ctx.blockByHash(ref.hash);
    if (block !== undefined) return finalityOf(block.block.header.number, block.hash, ctx);
    const tx = ctx.transaction(ref.hash);
    if (tx === undefined) return null;
    if (tx.block === undefined) return { status: "pending" };
    return finalityOf(tx.block.number, tx.block.hash, ctx);
  }
  const number = resolveBlockNumber(ref, ctx);
  const block = ctx.blockByNumber(number);
  if (block === undefined) return { status: "pending" };
  return finalityOf(number, block.hash, ctx);
};

function finalityOf(number: bigint, hash: Hex, ctx: RpcContext): Record<string, unknown> {
  const block = { number: quantity(number), hash };
  const f = ctx.finality();
  // The fact's hash must be this member's block at that height: finality of another fork (which
  // a correct committee never produces) must not be reported for our blocks.
  if (f !== undefined && number <= f.number && ctx.blockByNumber(f.number)?.hash.toLowerCase() === f.hash.toLowerCase()) {
    return { status: "finalized", block, l1: { transactionHash: f.l1TxHash, blockNumber: quantity(f.l1Block) } };
  }
  return { status: "committed", block };
}
