/**
 * Block data: what L1 receives with each header so that anyone can rebuild the L2 state from L1
 * alone. It is the RLP list of the block's raw signed transactions, in order:
 *
 *   blockData = RLP([rawTx_0, rawTx_1, ...])        dataHash = keccak256(blockData)
 *
 * Inbox entries (deposits, forced transactions) are not in it: they are on L1 already, and the
 * header's inboxCursor/inboxHash say which of them the block consumed.
 */
import { fromRlp, toRlp, type Hex } from "viem";
import { keccak256 } from "../crypto/keccak.ts";
import { ExecutionError } from "./errors.ts";

export function encodeBlockData(raws: readonly Hex[]): Hex {
  return toRlp(raws as Hex[]);
}

export function hashBlockData(blockData: Hex): Hex {
  return keccak256(blockData);
}

/** The raw transactions of `blockData`; refuses anything but a canonical list of byte strings. */
export function decodeBlockData(blockData: Hex, maxTransactions: number): Hex[] {
  let decoded: unknown;
  try {
    decoded = fromRlp(blockData, "hex");
  } catch (cause) {
    throw new ExecutionError("INVALID_BLOCK_DATA", "block data is not RLP", (cause as Error).message.split("\n")[0], { cause });
  }
  if (!Array.isArray(decoded)) throw new ExecutionError("INVALID_BLOCK_DATA", "block data is not an RLP list", "got a byte string");
  if (decoded.length > maxTransactions) {
    throw new ExecutionError("BLOCK_TX_LIMIT_EXCEEDED", "too many transactions in block", `${decoded.length}, at most ${maxTransactions}`);
  }
  decoded.forEach((item, i) => {
    if (typeof item !== "string" || item === "0x") {
      throw new ExecutionError("INVALID_BLOCK_DATA", "block data item is not a transaction", `item ${i}`);
    }
  });
  const raws = decoded as Hex[];
  // Canonical only, so that one list of transactions has exactly one dataHash.
  if (encodeBlockData(raws) !== blockData.toLowerCase()) {
    throw new ExecutionError("INVALID_BLOCK_DATA", "block data encoding is not canonical");
  }
  return raws;
}
