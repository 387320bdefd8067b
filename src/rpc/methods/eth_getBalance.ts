import { addressParam, blockTagParam, expectParams, quantity } from "../params.ts";
import type { RpcMethod } from "../registry.ts";
import { readsPending } from "./block-tag.ts";

export const eth_getBalance: RpcMethod = (params, ctx) => {
  expectParams(params, 1, 2, "[address, block?]");
  const address = addressParam(params[0], "address");
  const { pending, at } = readsPending(blockTagParam(params[1], "block"), ctx);
  return quantity(ctx.account(address, pending, at).balance);
};
