import { expectParams } from "../params.ts";
import type { RpcMethod } from "../registry.ts";

/** The member's consensus and queue state at a glance (view, leader, high QC, finalized height, peers, depths). */
export const rollup_status: RpcMethod = async (params, ctx) => {
  expectParams(params, 0, 0, "no params");
  return await ctx.status();
};
