import type { RpcBlock } from "../context.ts";
import { formatTransaction } from "./format-transaction.ts";

/** Transaction `index` of a committed block in TransactionInfo shape; null past its last. */
export async function transactionInBlock(b: RpcBlock | undefined, index: bigint): Promise<Record<string, unknown> | null> {
  if (b === undefined || index >= BigInt(b.rawTransactions.length)) return null;
  const h = b.block.header;
  const i = Number(index);
  return await formatTransaction(b.rawTransactions[i]!, b.transactionHashes[i]!, { hash: b.hash, number: h.number, index: i, timestamp: h.timestamp, baseFee: h.baseFee });
}
