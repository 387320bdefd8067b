import { addressParam, blockTagParam, expectParams } from "../params.ts";
import type { RpcMethod } from "../registry.ts";
import { checkHeadState } from "./block-tag.ts";

/** The code at an address in the committed head's state ("pending" reads it too). */
export const eth_getCode: RpcMethod = (params, ctx) => {
  expectParams(params, 1, 2, "[address, block?]");
  const address = addressParam(params[0], "address");
  const tag = blockTagParam(params[1], "block");
  checkHeadState(tag === "pending" ? "latest" : tag, ctx);
  return ctx.code(address);
};
