import type { RpcMethod } from "../registry.ts";
import { callFailure, callParams, callTransaction } from "./call-request.ts";

/**
 * Runs a call (or a creation) on the state after the named block and returns its return data; a
 * revert is error 3 with its reason and data, as geth answers. Recent blocks' states are kept
 * (block-tag.ts): "pending" reads the head's, and an older block is refused. An optional state
 * override set (state-override.ts) changes accounts for this call only.
 */
export const eth_call: RpcMethod = async (params, ctx) => {
  const { at, overrides, request } = callParams(params, ctx);
  const outcome = await ctx.simulate(callTransaction(request, request.gas ?? ctx.blockGasLimit), at, overrides);
  if (outcome.kind !== "executed" || outcome.status !== "success") throw callFailure(outcome);
  return outcome.returnData;
};
