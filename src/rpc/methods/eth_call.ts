import { blockTagParam, expectParams } from "../params.ts";
import type { RpcMethod } from "../registry.ts";
import { checkHeadState } from "./block-tag.ts";
import { callFailure, callTransaction, checkCallRequest } from "./call-request.ts";

/**
 * Runs a call (or a creation) on the committed head's state and returns its return data; a
 * revert is error 3 with its reason and data, as geth answers. Only the head's state is kept:
 * "pending" reads it too, and another block is refused (block-tag.ts).
 */
export const eth_call: RpcMethod = async (params, ctx) => {
  expectParams(params, 1, 2, "[transaction, block?]");
  const tag = blockTagParam(params[1], "block");
  checkHeadState(tag === "pending" ? "latest" : tag, ctx);
  const request = checkCallRequest(params[0], ctx);
  const outcome = await ctx.simulate(callTransaction(request, request.gas ?? ctx.blockGasLimit));
  if (outcome.kind !== "executed" || outcome.status !== "success") throw callFailure(outcome);
  return outcome.returnData;
};
