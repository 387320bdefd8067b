import { blockTagParam, expectParams, quantityParam } from "../params.ts";
import type { RpcMethod } from "../registry.ts";
import { resolveBlockNumber } from "./block-tag.ts";
import { transactionInBlock } from "./transaction-in-block.ts";

/** A committed block's transaction by position; null above the committed head or past the block's last. */
export const eth_getTransactionByBlockNumberAndIndex: RpcMethod = async (params, ctx) => {
  expectParams(params, 2, 2, "[block, transactionIndex]");
  const block = ctx.blockByNumber(resolveBlockNumber(blockTagParam(params[0], "block"), ctx));
  return await transactionInBlock(block, quantityParam(params[1], "transactionIndex"));
};
