import { EMPTY_LOGS_BLOOM } from "../../execution/index.ts";
import { expectParams, hashParam, quantity } from "../params.ts";
import type { RpcMethod } from "../registry.ts";

const TYPE = { legacy: "0x0", eip2930: "0x1", eip1559: "0x2" } as const;

/** The receipt of a committed transaction, or null while it is pending or unknown. */
export const eth_getTransactionReceipt: RpcMethod = (params, ctx) => {
  expectParams(params, 1, 1, "[transactionHash]");
  const found = ctx.receipt(hashParam(params[0], "transactionHash"));
  if (found === undefined) return null;
  const r = found.receipt;
  return {
    transactionHash: r.transactionHash,
    transactionIndex: quantity(r.transactionIndex),
    blockHash: found.blockHash,
    blockNumber: quantity(r.blockNumber),
    from: r.from,
    to: r.to,
    cumulativeGasUsed: quantity(r.cumulativeGasUsed),
    gasUsed: quantity(r.gasUsed),
    effectiveGasPrice: quantity(r.effectiveGasPrice),
    contractAddress: null,
    logs: [],
    logsBloom: EMPTY_LOGS_BLOOM,
    status: "0x1",
    type: TYPE[r.type],
  };
};
