import { blockTagParam, expectParams, quantity } from "../params.ts";
import type { RpcMethod } from "../registry.ts";
import { resolveBlockNumber } from "./block-tag.ts";

/** How many transactions a committed block holds; null above the committed head. */
export const eth_getBlockTransactionCountByNumber: RpcMethod = (params, ctx) => {
  expectParams(params, 1, 1, "[block]");
  const found = ctx.blockByNumber(resolveBlockNumber(blockTagParam(params[0], "block"), ctx));
  return found === undefined ? null : quantity(found.transactionHashes.length);
};
