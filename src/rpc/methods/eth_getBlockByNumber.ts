import { blockTagParam, booleanParam, expectParams } from "../params.ts";
import type { RpcMethod } from "../registry.ts";
import { resolveBlockNumber } from "./block-tag.ts";
import { formatBlock } from "./format-block.ts";

/** A committed block by number or tag (see block-tag.ts); null above the committed head. */
export function createGetBlockByNumber(gasLimit: bigint): RpcMethod {
  return async (params, ctx) => {
    expectParams(params, 1, 2, "[block, fullTransactions?]");
    const number = resolveBlockNumber(blockTagParam(params[0], "block"), ctx);
    const full = booleanParam(params[1], "fullTransactions", false);
    const found = ctx.blockByNumber(number);
    return found === undefined ? null : await formatBlock(found, gasLimit, full, ctx);
  };
}
