import { addressParam, blockTagParam, expectParams } from "../params.ts";
import type { RpcMethod } from "../registry.ts";
import { stateBlock } from "./block-tag.ts";

/** The code at an address at a kept block (block-tag.ts; "pending" reads the head). */
export const eth_getCode: RpcMethod = (params, ctx) => {
  expectParams(params, 1, 2, "[address, block?]");
  const address = addressParam(params[0], "address");
  const tag = blockTagParam(params[1], "block");
  const at = stateBlock(tag, ctx);
  return ctx.code(address, at);
};
