import { quantity } from "../params.ts";
import type { RpcMethod } from "../registry.ts";
import { callFailure, callParams, callTransaction } from "./call-request.ts";

/** geth's tolerance: stop searching when the bounds are within 1.5% of each other. */
const ERROR_RATIO = 0.015;

/**
 * The least gas limit with which the transaction succeeds, searched as geth does: run it with the
 * cap (its gas, or the block gas limit) and fail as eth_call would if it fails there. When the
 * gas used is enough (no refund, no 63/64 reserve), that is the answer; otherwise try an
 * optimistic limit (gas used x 64/63, for the gas a call must leave behind), then bisect. State
 * overrides apply as in eth_call.
 */
export const eth_estimateGas: RpcMethod = async (params, ctx) => {
  const { at, overrides, request } = callParams(params, ctx);
  const cap = request.gas ?? ctx.blockGasLimit;
  const run = (gas: bigint) => ctx.simulate(callTransaction(request, gas), at, overrides);
  const first = await run(cap);
  if (first.kind !== "executed" || first.status !== "success") throw callFailure(first);
  const succeeds = async (gas: bigint) => {
    const outcome = await run(gas);
    return outcome.kind === "executed" && outcome.status === "success";
  };
  if (await succeeds(first.gasUsed)) return quantity(first.gasUsed);
  let lo = first.gasUsed;
  let hi = cap;
  const optimistic = (first.gasUsed * 64n) / 63n;
  if (optimistic < hi) {
    if (await succeeds(optimistic)) hi = optimistic;
    else lo = optimistic;
  }
  while (lo + 1n < hi && Number(hi - lo) / Number(hi) > ERROR_RATIO) {
    const mid = (lo + hi) / 2n;
    if (await succeeds(mid)) hi = mid;
    else lo = mid;
  }
  return quantity(hi);
};
