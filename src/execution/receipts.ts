/**
 * Receipts: what eth_getTransactionReceipt returns, and their Ethereum encoding for the receipts
 * root. A transaction in a block is charged whether it succeeds or reverts; a reverted one keeps
 * no logs.
 *
 *   receipt = RLP([status, cumulativeGasUsed, logsBloom, logs])      legacy
 *           = type || RLP([status, cumulativeGasUsed, logsBloom, logs])   EIP-2718 typed
 *   log     = [address, [topic, ...], data]
 */
import { keccak_256 } from "../crypto/keccak.ts";
import { bytesToHex, hexToBytes, type Address, type Hex } from "viem";
import { encodeRlpBytes, encodeRlpInteger, encodeRlpList } from "./rlp.ts";
import { transactionTypeByte, type TransactionType } from "./transaction.ts";

/** A log as a contract emitted it (LOG0…LOG4); its position in the block is the RPC layer's to add. */
export interface ReceiptLog {
  readonly address: Address;
  readonly topics: readonly Hex[];
  readonly data: Hex;
}

export interface Receipt {
  readonly transactionHash: Hex;
  /** Position in the block's transaction list (forced transactions first, then block data). */
  readonly transactionIndex: number;
  /** The block hash depends on the deployment (chain id, Rollup address): the RPC layer adds it. */
  readonly blockNumber: bigint;
  readonly from: Address;
  /** null for a contract creation. */
  readonly to: Address | null;
  readonly type: TransactionType;
  readonly status: "success" | "reverted";
  /** The created contract's address, for a contract creation; null otherwise. */
  readonly contractAddress: Address | null;
  readonly logs: readonly ReceiptLog[];
  /** The block-wide index of this receipt's first log: the logs of earlier transactions in the block. */
  readonly firstLogIndex: number;
  readonly gasUsed: bigint;
  readonly cumulativeGasUsed: bigint;
  readonly effectiveGasPrice: bigint;
  /** Set for a transaction forced through the Inbox: the entry that carried it. */
  readonly inboxIndex: bigint | undefined;
}

export const EMPTY_LOGS_BLOOM: Hex = `0x${"00".repeat(256)}`;
const STATUS_SUCCESS = Uint8Array.of(0x01);
const STATUS_FAILURE = new Uint8Array(0);

/**
 * The 2048-bit bloom of logs (Yellow Paper §4.3.1): for the address and each topic, three bits
 * taken from the low 11 bits of the first three byte pairs of its keccak256.
 */
export function logsBloom(logs: readonly ReceiptLog[]): Uint8Array {
  const bloom = new Uint8Array(256);
  const add = (item: Uint8Array) => {
    const h = keccak_256(item);
    for (let i = 0; i < 6; i += 2) {
      const bit = ((h[i]! << 8) | h[i + 1]!) & 2047;
      bloom[255 - (bit >> 3)]! |= 1 << (bit & 7);
    }
  };
  for (const log of logs) {
    add(hexToBytes(log.address));
    for (const topic of log.topics) add(hexToBytes(topic));
  }
  return bloom;
}

export function logsBloomHex(logs: readonly ReceiptLog[]): Hex {
  return logs.length === 0 ? EMPTY_LOGS_BLOOM : bytesToHex(logsBloom(logs));
}

function encodeLog(log: ReceiptLog): Uint8Array {
  return encodeRlpList([
    encodeRlpBytes(hexToBytes(log.address)),
    encodeRlpList(log.topics.map((t) => encodeRlpBytes(hexToBytes(t)))),
    encodeRlpBytes(hexToBytes(log.data)),
  ]);
}

export function encodeReceipt(receipt: Receipt): Uint8Array {
  const body = encodeRlpList([
    encodeRlpBytes(receipt.status === "success" ? STATUS_SUCCESS : STATUS_FAILURE),
    encodeRlpInteger(receipt.cumulativeGasUsed),
    encodeRlpBytes(logsBloom(receipt.logs)),
    encodeRlpList(receipt.logs.map(encodeLog)),
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
    to: (r.to ?? null) as Address | null,
    type: r.type as TransactionType,
    // Receipts stored before contracts existed lack the last three fields: a transfer that succeeded.
    status: (r.status ?? "success") as Receipt["status"],
    contractAddress: (r.contractAddress ?? null) as Address | null,
    logs: (r.logs ?? []) as ReceiptLog[],
    // Version-4 stores had no logs at all; version 5 stores gained the field by migration.
    firstLogIndex: (r.firstLogIndex ?? 0) as number,
    gasUsed: big("gasUsed"),
    cumulativeGasUsed: big("cumulativeGasUsed"),
    effectiveGasPrice: big("effectiveGasPrice"),
    inboxIndex: r.inboxIndex === undefined ? undefined : big("inboxIndex"),
  };
}
