import { expectParams, hashParam } from "../params.ts";
import type { RpcMethod } from "../registry.ts";
import { formatTransaction } from "./format-transaction.ts";

/**
 * A transaction by hash, committed or pending at this member (null otherwise), in Ethereum's
 * shape; viem's waitForTransactionReceipt asks for it.
 */
export const eth_getTransactionByHash: RpcMethod = async (params, ctx) => {
  expectParams(params, 1, 1, "[transactionHash]");
  const hash = hashParam(params[0], "transactionHash");
  const found = ctx.transaction(hash);
  if (found === undefined) return null;
  const header = found.block === undefined ? undefined : ctx.blockByNumber(found.block.number)?.block.header;
  const at = found.block === undefined || header === undefined ? undefined : { ...found.block, timestamp: header.timestamp, baseFee: header.baseFee };
  return await formatTransaction(found.raw, hash, at);
};
