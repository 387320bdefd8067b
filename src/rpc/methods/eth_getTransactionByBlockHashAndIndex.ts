import { expectParams, hashParam, quantityParam } from "../params.ts";
import type { RpcMethod } from "../registry.ts";
import { transactionInBlock } from "./transaction-in-block.ts";

/** A committed block's transaction by position; null for an unknown block or an index past its last. */
export const eth_getTransactionByBlockHashAndIndex: RpcMethod = async (params, ctx) => {
  expectParams(params, 2, 2, "[blockHash, transactionIndex]");
  const block = ctx.blockByHash(hashParam(params[0], "blockHash"));
  return await transactionInBlock(block, quantityParam(params[1], "transactionIndex"));
};
