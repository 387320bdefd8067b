import { expectParams, quantity } from "../params.ts";
import type { RpcMethod } from "../registry.ts";
import { suggestedTip } from "./fee-market.ts";

/** The suggested tip: the median tip recent transactions paid (fee-market.ts). */
export const eth_maxPriorityFeePerGas: RpcMethod = (params, ctx) => {
  expectParams(params, 0, 0, "no params");
  return quantity(suggestedTip(ctx));
};
