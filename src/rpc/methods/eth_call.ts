import { blockTagParam, expectParams } from "../params.ts";
import type { RpcMethod } from "../registry.ts";
import { stateBlock } from "./block-tag.ts";
import { callFailure, callTransaction, checkCallRequest } from "./call-request.ts";
import { stateOverrideParam } from "./state-override.ts";

/**
 * Runs a call (or a creation) on the state after the named block and returns its return data; a
 * revert is error 3 with its reason and data, as geth answers. Recent blocks' states are kept
 * (block-tag.ts): "pending" reads the head's, and an older block is refused. An optional state
 * override set (state-override.ts) changes accounts for this call only.
 */
export const eth_call: RpcMethod = async (params, ctx) => {
  expectParams(params, 1, 3, "[transaction, block?, stateOverrides?]");
  const tag = blockTagParam(params[1] ?? undefined, "block");
  const at = stateBlock(tag, ctx);
  const overrides = stateOverrideParam(params[2], "stateOverrides");
  const request = checkCallRequest(params[0], ctx, overrides);
  const outcome = await ctx.simulate(callTransaction(request, request.gas ?? ctx.blockGasLimit), at, overrides);
  if (outcome.kind !== "executed" || outcome.status !== "success") throw callFailure(outcome);
  return outcome.returnData;
};
