import { dataParam, expectParams } from "../params.ts";
import type { RpcMethod } from "../registry.ts";

/**
 * Decodes and checks the transaction (stateless, then against the committed state and this
 * member's pending ones), queues it durably in Redis, and returns its hash. A refusal is -32000
 * with the execution error's message; Redis down is -32002: never a silent drop.
 */
export const eth_sendRawTransaction: RpcMethod = async (params, ctx) => {
  expectParams(params, 1, 1, "[signedTransaction]");
  return await ctx.sendRawTransaction(dataParam(params[0], "signedTransaction"));
};
