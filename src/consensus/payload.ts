/**
 * Where block contents come from and how they are judged: the two callbacks execution plugs into.
 *
 *  - `BuildPayload(parent, view, now)` runs at the leader when it proposes: it returns the
 *    header fields it owns (timestamp, roots, data hash, ...) and the opaque payload. Consensus
 *    fills number, view and parentHash, which are its own. `now` is the time of the event being
 *    handled (the adapter's clock), so a timestamp can come from it and runs stay replayable.
 *  - `ValidateBlock(block, parent)` runs at every member before it votes or stores a proposal.
 *    Consensus itself checks, before calling it, what it can check cheaply (shape.ts): number =
 *    parent + 1, view above the parent's, dataHash = keccak256(payload). `now` as above, e.g. to
 *    refuse timestamps too far in the future.
 *
 * The defaults make empty blocks with fixed roots, for tests and the simulator.
 */
import { zeroAddress, zeroHash, type Address, type Hex } from "viem";
import { keccak256 } from "../crypto/keccak.ts";
import type { Block, BuiltPayload, Validation } from "./types.ts";

export type BuildPayload = (parent: Block, view: bigint, now: number) => BuiltPayload;
export type ValidateBlock = (block: Block, parent: Block, now: number) => Validation;
/**
 * Whether the leader of `view` proposes on `parent` now. False: not yet (a chain with nothing to
 * commit idles, DESIGN §4 Pacing); the adapter then sends a `propose` event when it may.
 */
export type MayPropose = (parent: Block, view: bigint, now: number) => boolean;

export const EMPTY_PAYLOAD_HASH: Hex = keccak256("0x");

/** Empty blocks proposed by `proposer`, timestamped one second after the parent. */
export function createEmptyPayloadBuilder(proposer: Address = zeroAddress): BuildPayload {
  return (parent) => ({
    payload: "0x",
    fields: {
      timestamp: parent.header.timestamp + 1n,
      proposer,
      l1Origin: parent.header.l1Origin,
      l1OriginHash: parent.header.l1OriginHash,
      inboxCursor: parent.header.inboxCursor,
      inboxHash: parent.header.inboxHash,
      dataHash: EMPTY_PAYLOAD_HASH,
      stateRoot: parent.header.stateRoot,
      transactionsRoot: zeroHash,
      receiptsRoot: zeroHash,
      withdrawalsRoot: zeroHash,
      baseFee: parent.header.baseFee,
      gasUsed: 0n,
    },
  });
}

/** Accepts any payload whose timestamp does not go back (what the empty builder makes). */
export const acceptAnyBlock: ValidateBlock = (block, parent) =>
  block.header.timestamp >= parent.header.timestamp
    ? { ok: true }
    : { ok: false, reason: `timestamp ${block.header.timestamp} is below the parent's ${parent.header.timestamp}` };

/** The genesis block every member of a deployment starts from. */
export function createGenesisBlock(overrides: Partial<Block["header"]> = {}): Block {
  return {
    header: {
      number: 0n,
      view: 0n,
      parentHash: zeroHash,
      timestamp: 0n,
      proposer: zeroAddress,
      l1Origin: 0n,
      l1OriginHash: zeroHash,
      inboxCursor: 0n,
      inboxHash: zeroHash,
      dataHash: EMPTY_PAYLOAD_HASH,
      stateRoot: zeroHash,
      transactionsRoot: zeroHash,
      receiptsRoot: zeroHash,
      withdrawalsRoot: zeroHash,
      baseFee: 0n,
      gasUsed: 0n,
      ...overrides,
    },
    justify: { view: 0n, blockHash: zeroHash, signers: 0n, signature: null },
    payload: "0x",
  };
}
