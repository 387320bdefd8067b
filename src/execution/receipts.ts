/**
 * Receipts: what eth_getTransactionReceipt returns, and their Ethereum encoding for the receipts
 * root. A transfer that made it into a block always succeeds (every failure is caught by the
 * checks before it is applied), so status is always 1 and there are no logs.
 *
 *   receipt = RLP([status, cumulativeGasUsed, logsBloom, logs])      legacy
 *           = type || RLP([status, cumulativeGasUsed, logsBloom, logs])   EIP-2718 typed
 */
import type { Address, Hex } from "viem";
import { encodeRlpBytes, encodeRlpInteger, encodeRlpList } from "./rlp.ts";
import { transactionTypeByte, type TransactionType } from "./transaction.ts";

export interface Receipt {
  readonly transactionHash: Hex;
  /** Position in the block's transaction list (forced transactions first, then block data). */
  readonly transactionIndex: number;
  /** The block hash depends on the deployment (chain id, Rollup address): the RPC layer adds it. */
  readonly blockNumber: bigint;
  readonly from: Address;
  readonly to: Address;
  readonly type: TransactionType;
  readonly status: "success";
  readonly gasUsed: bigint;
  readonly cumulativeGasUsed: bigint;
  readonly effectiveGasPrice: bigint;
  /** Set for a transaction forced through the Inbox: the entry that carried it. */
  readonly inboxIndex: bigint | undefined;
}

const EMPTY_BLOOM = new Uint8Array(256);
export const EMPTY_LOGS_BLOOM: Hex = `0x${"00".repeat(256)}`;
const STATUS_SUCCESS = Uint8Array.of(0x01);
const EMPTY_LIST = Uint8Array.of(0xc0);

export function encodeReceipt(receipt: Receipt): Uint8Array {
  const body = encodeRlpList([
    encodeRlpBytes(STATUS_SUCCESS),
    encodeRlpInteger(receipt.cumulativeGasUsed),
    encodeRlpBytes(EMPTY_BLOOM),
    EMPTY_LIST,
  ]);
  const type = transactionTypeByte(receipt.type);
  if (type === 0) return body;
  const out = new Uint8Array(1 + body.length);
  out[0] = type;
  out.set(body, 1);
  return out;
}


/** A receipt as JSON text (bigints as decimal strings), for the store to keep and the RPC to read. */
export function receiptToJson(receipt: Receipt): string {
  return JSON.stringify(receipt, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value));
}

export function receiptFromJson(json: string): Receipt {
  const r = JSON.parse(json) as Record<string, unknown>;
  const big = (key: string) => BigInt(r[key] as string);
  return {
    transactionHash: r.transactionHash as Hex,
    transactionIndex: r.transactionIndex as number,
    blockNumber: big("blockNumber"),
    from: r.from as Address,
    to: r.to as Address,
    type: r.type as TransactionType,
    status: "success",
    gasUsed: big("gasUsed"),
    cumulativeGasUsed: big("cumulativeGasUsed"),
    effectiveGasPrice: big("effectiveGasPrice"),
    inboxIndex: r.inboxIndex === undefined ? undefined : big("inboxIndex"),
  };
}
