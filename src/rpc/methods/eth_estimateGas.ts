import { TRANSFER_GAS } from "../../execution/index.ts";
import { blockTagParam, expectParams, quantity } from "../params.ts";
import type { RpcMethod } from "../registry.ts";
import { readsPending } from "./block-tag.ts";
import { checkCallRequest } from "./call-request.ts";

/** Every valid transfer costs exactly the intrinsic 21,000 gas; anything else is refused. */
export const eth_estimateGas: RpcMethod = (params, ctx) => {
  expectParams(params, 1, 2, "[transaction, block?]");
  readsPending(blockTagParam(params[1], "block"), ctx);
  checkCallRequest(params[0], ctx);
  return quantity(TRANSFER_GAS);
};
