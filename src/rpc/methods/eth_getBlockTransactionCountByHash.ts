import { expectParams, hashParam, quantity } from "../params.ts";
import type { RpcMethod } from "../registry.ts";

/** How many transactions a committed block holds; null for an unknown block hash. */
export const eth_getBlockTransactionCountByHash: RpcMethod = (params, ctx) => {
  expectParams(params, 1, 1, "[blockHash]");
  const found = ctx.blockByHash(hashParam(params[0], "blockHash"));
  return found === undefined ? null : quantity(found.transactionHashes.length);
};
