import type { Hex } from "viem";
import { logsBloomHex, type Receipt } from "../../execution/index.ts";
import type { RpcContext } from "../context.ts";
import { expectParams, hashParam, quantity } from "../params.ts";
import type { RpcMethod } from "../registry.ts";
import { formatLog } from "./format-log.ts";

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
    contractAddress: r.contractAddress,
    logs: formatReceiptLogs(r, found.blockHash, ctx),
    logsBloom: logsBloomHex(r.logs),
    status: r.status === "success" ? "0x1" : "0x0",
    type: TYPE[r.type],
  };
};

/** A receipt's logs with their block positions. */
export function formatReceiptLogs(r: Receipt, blockHash: Hex, ctx: RpcContext): Record<string, unknown>[] {
  if (r.logs.length === 0) return [];
  const blockTimestamp = ctx.blockByNumber(r.blockNumber)?.block.header.timestamp ?? 0n;
  return r.logs.map((log, i) =>
    formatLog(log, { blockHash, blockNumber: r.blockNumber, blockTimestamp, transactionHash: r.transactionHash, transactionIndex: r.transactionIndex, logIndex: r.firstLogIndex + i }),
  );
}
