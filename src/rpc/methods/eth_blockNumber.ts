import { expectParams, quantity } from "../params.ts";
import type { RpcMethod } from "../registry.ts";

/** The committed head: a block committed by the two-chain rule never changes. */
export const eth_blockNumber: RpcMethod = (params, ctx) => {
  expectParams(params, 0, 0, "no params");
  return quantity(ctx.committedHeight());
};
