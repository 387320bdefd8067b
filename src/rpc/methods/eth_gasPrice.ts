import { expectParams, quantity } from "../params.ts";
import type { RpcMethod } from "../registry.ts";
import { headBlock, nextBaseFee, suggestedTip } from "./fee-market.ts";

/** A legacy gas price that gets included: the next block's base fee plus the suggested tip. */
export function createGasPrice(gasLimit: bigint): RpcMethod {
  return (params, ctx) => {
    expectParams(params, 0, 0, "no params");
    return quantity(nextBaseFee(headBlock(ctx), gasLimit) + suggestedTip(ctx));
  };
}
