/**
 * Withdrawals: a transfer on L2 to WITHDRAWAL_ADDRESS burns the value and records a withdrawal
 * leaf; the block's `withdrawalsRoot` is the Merkle root of its leaves, and once the block is
 * final on L1 the recipient claims from `Bridge` with a proof (contracts/Bridge.sol mirrors this).
 *
 *   leaf = keccak256(abi.encode(WITHDRAWAL_TAG, blockNumber, index, recipient, amount))
 *   node = keccak256(min(a, b) || max(a, b))        (sorted pairs, as OpenZeppelin MerkleProof)
 *   an odd node at the end of a level is carried up unchanged; the root of no leaves is 0x00..00.
 *
 * The recipient on L1 is the L2 sender (the transfer's `from`); the leaf's (blockNumber, index)
 * makes every leaf unique, so the Bridge can mark a leaf claimed and refuse a second claim.
 */
import { concatHex, encodeAbiParameters, stringToHex, zeroHash, type Address, type Hex } from "viem";
import { keccak256 } from "../crypto/keccak.ts";

/** Sending value here on L2 withdraws it to L1. */
export const WITHDRAWAL_ADDRESS: Address = "0x4200000000000000000000000000000000000016";
export const WITHDRAWAL_TAG: Hex = keccak256(stringToHex("hotstuff-rollup:withdrawal:v1"));

export interface Withdrawal {
  readonly blockNumber: bigint;
  /** Position of the withdrawal among the block's withdrawals, from 0. */
  readonly index: bigint;
  readonly recipient: Address;
  readonly amount: bigint;
  /**
   * The L2 transaction that withdrew (not part of the leaf): an EOA's transfer to
   * WITHDRAWAL_ADDRESS, or a transaction in which a contract sent value there. Absent in
   * withdrawals stored before contracts existed.
   */
  readonly transactionHash?: Hex;
}

export function withdrawalLeaf(w: Withdrawal): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "bytes32" }, { type: "uint256" }, { type: "uint256" }, { type: "address" }, { type: "uint256" }],
      [WITHDRAWAL_TAG, w.blockNumber, w.index, w.recipient, w.amount],
    ),
  );
}

function hashPair(a: Hex, b: Hex): Hex {
  return BigInt(a) < BigInt(b) ? keccak256(concatHex([a, b])) : keccak256(concatHex([b, a]));
}

function nextLevel(level: readonly Hex[]): Hex[] {
  const out: Hex[] = [];
  for (let i = 0; i < level.length; i += 2) out.push(i + 1 < level.length ? hashPair(level[i]!, level[i + 1]!) : level[i]!);
  return out;
}

export function withdrawalsRoot(leaves: readonly Hex[]): Hex {
  if (leaves.length === 0) return zeroHash;
  let level = [...leaves];
  while (level.length > 1) level = nextLevel(level);
  return level[0]!;
}

/** The sibling path for leaf `index`; levels where the node is carried up add nothing. */
export function withdrawalProof(leaves: readonly Hex[], index: number): Hex[] {
  if (index < 0 || index >= leaves.length) throw new RangeError(`withdrawal index ${index} outside 0..${leaves.length - 1}`);
  const proof: Hex[] = [];
  let level = [...leaves];
  let i = index;
  while (level.length > 1) {
    const sibling = i ^ 1;
    if (sibling < level.length) proof.push(level[sibling]!);
    level = nextLevel(level);
    i >>= 1;
  }
  return proof;
}

/** Recomputes the root from a leaf and its proof, exactly as `Bridge` does on L1. */
export function rootFromProof(leaf: Hex, proof: readonly Hex[]): Hex {
  return proof.reduce<Hex>((node, sibling) => hashPair(node, sibling), leaf);
}
