import { blockRefParam, expectParams } from "../params.ts";
import type { RpcMethod } from "../registry.ts";
import { resolveBlockNumber } from "./block-tag.ts";
import { blockFinality } from "./finality.ts";

/**
 * How final a block (by number, tag or hash) or a transaction (by hash) is:
 *   pending    known but not committed (a transaction in the mempool, a number above the head);
 *   committed / finalized  as blockFinality (./finality.ts) says: finalized blocks name the L1
 *              transaction and L1 block of the batch that settled them.
 * null for a hash this member does not know.
 */
export const rollup_getFinality: RpcMethod = (params, ctx) => {
  expectParams(params, 1, 1, "[blockNumberOrHashOrTransactionHash]");
  const ref = blockRefParam(params[0], "blockNumberOrHashOrTransactionHash");
  if (typeof ref === "object") {
    const block = ctx.blockByHash(ref.hash);
    if (block !== undefined) return blockFinality(block.block.header.number, block.hash, ctx);
    const tx = ctx.transaction(ref.hash);
    if (tx === undefined) return null;
    if (tx.block === undefined) return { status: "pending" };
    return blockFinality(tx.block.number, tx.block.hash, ctx);
  }
  const number = resolveBlockNumber(ref, ctx);
  const block = ctx.blockByNumber(number);
  if (block === undefined) return { status: "pending" };
  return blockFinality(number, block.hash, ctx);
};
