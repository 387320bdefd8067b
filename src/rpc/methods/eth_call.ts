import { blockTagParam, expectParams } from "../params.ts";
import type { RpcMethod } from "../registry.ts";
import { stateBlock } from "./block-tag.ts";
import { callFailure, callTransaction, checkCallRequest } from "./call-request.ts";

/**
 * Runs a call (or a creation) on the state after the named block and returns its return data; a
 * revert is error 3 with its reason and data, as geth answers. Recent blocks' states are kept
 * (block-tag.ts): "pending" reads the head's, and an older block is refused.
 */
export const eth_call: RpcMethod = async (params, ctx) => {
  expectParams(params, 1, 2, "[transaction, block?]");
  const tag = blockTagParam(params[1], "block");
  const at = stateBlock(tag, ctx);
  const request = checkCallRequest(params[0], ctx);
  const outcome = await ctx.simulate(callTransaction(request, request.gas ?? ctx.blockGasLimit), at);
  if (outcome.kind !== "executed" || outcome.status !== "success") throw callFailure(outcome);
  return outcome.returnData;
};
