import { expectParams, hashParam } from "../params.ts";
import type { RpcMethod } from "../registry.ts";
import { formatTransaction } from "./format-transaction.ts";

/**
 * A transaction by hash, committed or pending at this member (null otherwise), in Ethereum's
 * shape; viem's waitForTransactionReceipt asks for it. Every L2 transaction is a plain transfer.
 */
export const eth_getTransactionByHash: RpcMethod = async (params, ctx) => {
  expectParams(params, 1, 1, "[transactionHash]");
  const hash = hashParam(params[0], "transactionHash");
  const found = ctx.transaction(hash);
  return found === undefined ? null : await formatTransaction(found.raw, hash, found.block);
};
