import { expectParams } from "../params.ts";
import type { RpcMethod } from "../registry.ts";

/** The network id: the chain id in decimal, as Ethereum clients answer it. */
export const net_version: RpcMethod = (params, ctx) => {
  expectParams(params, 0, 0, "no params");
  return ctx.chainId.toString();
};
