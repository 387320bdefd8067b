import { expectParams, quantity } from "../params.ts";
import type { RpcMethod } from "../registry.ts";

/** The L2 chain id (EIP-155), as signed into every transaction. */
export const eth_chainId: RpcMethod = (params, ctx) => {
  expectParams(params, 0, 0, "no params");
  return quantity(ctx.chainId);
};
