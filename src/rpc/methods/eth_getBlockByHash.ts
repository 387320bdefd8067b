import { booleanParam, expectParams, hashParam } from "../params.ts";
import type { RpcMethod } from "../registry.ts";
import { formatBlock } from "./format-block.ts";

/** A committed block by hash; null for an unknown or uncommitted (not canonical) block. */
export function createGetBlockByHash(gasLimit: bigint): RpcMethod {
  return async (params, ctx) => {
    expectParams(params, 1, 2, "[blockHash, fullTransactions?]");
    const hash = hashParam(params[0], "blockHash");
    const full = booleanParam(params[1], "fullTransactions", false);
    const found = ctx.blockByHash(hash);
    return found === undefined ? null : await formatBlock(found, gasLimit, full, ctx);
  };
}
