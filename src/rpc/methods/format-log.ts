import type { Hex } from "viem";
import type { ReceiptLog } from "../../execution/index.ts";
import { quantity } from "../params.ts";

/** Where a log sits: its block, its transaction, and its index among the block's logs. */
export interface LogPosition {
  readonly blockHash: Hex;
  readonly blockNumber: bigint;
  readonly blockTimestamp: bigint;
  readonly transactionHash: Hex;
  readonly transactionIndex: number;
  /** The log's index in the block (not in its transaction). */
  readonly logIndex: number;
}

/** A log in Ethereum's RPC shape (eth_getLogs, receipts, `logs` subscriptions). Committed blocks only: never removed. */
export function formatLog(log: ReceiptLog, at: LogPosition): Record<string, unknown> {
  return {
    removed: false,
    logIndex: quantity(at.logIndex),
    transactionIndex: quantity(at.transactionIndex),
    transactionHash: at.transactionHash,
    blockHash: at.blockHash,
    blockNumber: quantity(at.blockNumber),
    blockTimestamp: quantity(at.blockTimestamp),
    address: log.address,
    data: log.data,
    topics: [...log.topics],
  };
}
