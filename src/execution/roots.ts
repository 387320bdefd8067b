/**
 * The per-block tries of Ethereum: transactions and receipts, each keyed by RLP(index) with the
 * EIP-2718 envelope as value, so a block's roots can be checked by any Ethereum tool.
 */
import { bytesToHex, hexToBytes, type Hex } from "viem";
import { encodeReceipt, type Receipt } from "./receipts.ts";
import { encodeRlpInteger } from "./rlp.ts";
import { Trie } from "./trie.ts";

export function computeOrderedTrieRoot(values: readonly Uint8Array[]): Hex {
  let trie = Trie.empty();
  for (let i = 0; i < values.length; i++) trie = trie.put(encodeRlpInteger(BigInt(i)), values[i]!);
  return bytesToHex(trie.root());
}

export function computeTransactionsRoot(raws: readonly Hex[]): Hex {
  return computeOrderedTrieRoot(raws.map((raw) => hexToBytes(raw)));
}

export function computeReceiptsRoot(receipts: readonly Receipt[]): Hex {
  return computeOrderedTrieRoot(receipts.map(encodeReceipt));
}
