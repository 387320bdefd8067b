import { blockTagParam, expectParams } from "../params.ts";
import type { RpcMethod } from "../registry.ts";
import { readsPending } from "./block-tag.ts";
import { checkCallRequest } from "./call-request.ts";

/** A value transfer returns nothing (0x), as a call to a code-free account does on Ethereum. */
export const eth_call: RpcMethod = (params, ctx) => {
  expectParams(params, 1, 2, "[transaction, block?]");
  readsPending(blockTagParam(params[1], "block"), ctx);
  checkCallRequest(params[0], ctx);
  return "0x";
};
