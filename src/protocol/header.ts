/**
 * The L2 block header, the unit that consensus orders and L1 settles. Its hash is
 *   keccak256(abi.encode(HEADER_TAG, chainId, rollup, header fields in the order below))
 * and contracts/protocol/Header.sol computes the same bytes. All fields are static ABI types,
 * so abi.encode is a plain concatenation of 32-byte words that both sides produce identically.
 */
import { encodeAbiParameters, stringToHex, type Address, type Hex } from "viem";
import { keccak256 } from "../crypto/keccak.ts";

export const HEADER_TAG: Hex = keccak256(stringToHex("hotstuff-rollup:header:v1"));

export interface Header {
  /** Height: the genesis block is 0 and every child is its parent's number + 1. */
  readonly number: bigint;
  /** The consensus view in which the block was proposed (the genesis block has view 0). */
  readonly view: bigint;
  readonly parentHash: Hex;
  /** Unix seconds, set by the proposer, never below the parent's. */
  readonly timestamp: bigint;
  /** Fee recipient of the member that proposed the block; priority fees go here. */
  readonly proposer: Address;
  /** The L1 block number this block's view of L1 (the Inbox) is taken at. */
  readonly l1Origin: bigint;
  /**
   * L1's hash of block `l1Origin`: the block's Inbox view belongs to that L1 history. Members
   * refuse a block whose hash is not the one they read at l1Origin, and the Rollup checks it with
   * `blockhash` (contracts/Rollup.sol), so a chain built on a block an L1 reorg replaced never
   * settles. The standalone L2 (no L1) keeps the genesis value, zero.
   */
  readonly l1OriginHash: Hex;
  /** Number of Inbox entries consumed by the chain up to and including this block. */
  readonly inboxCursor: bigint;
  /** The Inbox's accumulated hash after entry `inboxCursor - 1` (zero when the cursor is 0). */
  readonly inboxHash: Hex;
  /** keccak256 of the block data (the encoded transaction list) posted to L1 with the header. */
  readonly dataHash: Hex;
  readonly stateRoot: Hex;
  readonly transactionsRoot: Hex;
  readonly receiptsRoot: Hex;
  readonly withdrawalsRoot: Hex;
  readonly baseFee: bigint;
  readonly gasUsed: bigint;
}

export const HEADER_ABI_PARAMS = [
  { type: "uint256", name: "number" },
  { type: "uint256", name: "view" },
  { type: "bytes32", name: "parentHash" },
  { type: "uint256", name: "timestamp" },
  { type: "address", name: "proposer" },
  { type: "uint256", name: "l1Origin" },
  { type: "bytes32", name: "l1OriginHash" },
  { type: "uint256", name: "inboxCursor" },
  { type: "bytes32", name: "inboxHash" },
  { type: "bytes32", name: "dataHash" },
  { type: "bytes32", name: "stateRoot" },
  { type: "bytes32", name: "transactionsRoot" },
  { type: "bytes32", name: "receiptsRoot" },
  { type: "bytes32", name: "withdrawalsRoot" },
  { type: "uint256", name: "baseFee" },
  { type: "uint256", name: "gasUsed" },
] as const;

/** The ABI tuple type of a header, as the `Rollup` contract takes it. */
export const HEADER_TUPLE = { type: "tuple", components: HEADER_ABI_PARAMS } as const;

export function encodeHeader(header: Header): Hex {
  return encodeAbiParameters(HEADER_ABI_PARAMS, [
    header.number,
    header.view,
    header.parentHash,
    header.timestamp,
    header.proposer,
    header.l1Origin,
    header.l1OriginHash,
    header.inboxCursor,
    header.inboxHash,
    header.dataHash,
    header.stateRoot,
    header.transactionsRoot,
    header.receiptsRoot,
    header.withdrawalsRoot,
    header.baseFee,
    header.gasUsed,
  ]);
}

/** The block hash: binds the header to the chain and the deployment it belongs to. */
export function hashHeader(chainId: bigint, rollup: Address, header: Header): Hex {
  const prefix = encodeAbiParameters(
    [{ type: "bytes32" }, { type: "uint256" }, { type: "address" }],
    [HEADER_TAG, chainId, rollup],
  );
  return keccak256(`${prefix}${encodeHeader(header).slice(2)}` as Hex);
}
