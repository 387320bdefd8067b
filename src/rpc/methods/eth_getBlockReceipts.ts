import type { Hex } from "viem";
import { blockRefParam, expectParams } from "../params.ts";
import type { RpcMethod } from "../registry.ts";
import { committedBlock } from "./block-ref.ts";
import { eth_getTransactionReceipt } from "./eth_getTransactionReceipt.ts";

/** Every receipt of a committed block (by number, tag or hash), in block order, as eth_getTransactionReceipt gives each; null for an unknown block. */
export const eth_getBlockReceipts: RpcMethod = async (params, ctx) => {
  expectParams(params, 1, 1, "[block]");
  const block = committedBlock(blockRefParam(params[0], "block"), ctx);
  if (block === undefined) return null;
  return await Promise.all(block.transactionHashes.map((hash: Hex) => eth_getTransactionReceipt([hash], ctx)));
};
