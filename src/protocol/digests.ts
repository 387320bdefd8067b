/**
 * The 32-byte digests that committee members sign. Each is
 *   keccak256(abi.encode(TAG, chainId, rollup, epoch, view, payload))
 * so that the `Rollup` and `Committee` contracts recompute them with the same two Solidity calls
 * (contracts/protocol/Digests.sol mirrors this file; test/protocol checks both sides agree).
 * TAG = keccak256 of a versioned ASCII name, so the kinds never collide: a vote can never be
 * presented as a timeout or a proposal.
 *
 * The proof of possession is bound to the chain id, the `Committee` contract and the operator
 * that applies with the key (not the epoch): a key proves possession once, where it applies, and
 * a copy of the application sent by anyone else fails.
 */
import { encodeAbiParameters, stringToHex, type Address, type Hex } from "viem";
import { keccak256 } from "../crypto/keccak.ts";
import type { Domain } from "./domain.ts";

export const VOTE_TAG: Hex = keccak256(stringToHex("hotstuff-rollup:vote:v1"));
export const PROPOSAL_TAG: Hex = keccak256(stringToHex("hotstuff-rollup:proposal:v1"));
export const TIMEOUT_TAG: Hex = keccak256(stringToHex("hotstuff-rollup:timeout:v1"));
export const POP_TAG: Hex = keccak256(stringToHex("hotstuff-rollup:pop:v2"));

const VIEW_DIGEST_PARAMS = [
  { type: "bytes32" },
  { type: "uint256" },
  { type: "address" },
  { type: "uint256" },
  { type: "uint256" },
  { type: "bytes32" },
] as const;

const TIMEOUT_DIGEST_PARAMS = [
  { type: "bytes32" },
  { type: "uint256" },
  { type: "address" },
  { type: "uint256" },
  { type: "uint256" },
  { type: "uint256" },
] as const;

/** What a member signs to vote for block `blockHash` in `view`. A QC aggregates these. */
export function voteDigest(domain: Domain, view: bigint, blockHash: Hex): Hex {
  return keccak256(
    encodeAbiParameters(VIEW_DIGEST_PARAMS, [VOTE_TAG, domain.chainId, domain.rollup, domain.epoch, view, blockHash]),
  );
}

/** What the leader of `view` signs to propose block `blockHash`. */
export function proposalDigest(domain: Domain, view: bigint, blockHash: Hex): Hex {
  return keccak256(
    encodeAbiParameters(VIEW_DIGEST_PARAMS, [PROPOSAL_TAG, domain.chainId, domain.rollup, domain.epoch, view, blockHash]),
  );
}

/** What a member signs when `view` times out, naming the view of the highest QC it holds. */
export function timeoutDigest(domain: Domain, view: bigint, highQcView: bigint): Hex {
  return keccak256(
    encodeAbiParameters(TIMEOUT_DIGEST_PARAMS, [TIMEOUT_TAG, domain.chainId, domain.rollup, domain.epoch, view, highQcView]),
  );
}

/**
 * What a key signs (under the PoP DST) to prove possession: the 128-byte EIP-2537 encoding of
 * the public key, bound to the L2 chain id, the `Committee` contract it applies to and the
 * operator (the L1 account that sends `applyForSeat`, or that governance seats at genesis).
 */
export function popDigest(chainId: bigint, committee: Address, operator: Address, publicKeyEip2537: Hex): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "bytes32" }, { type: "uint256" }, { type: "address" }, { type: "address" }, { type: "bytes" }],
      [POP_TAG, chainId, committee, operator, publicKeyEip2537],
    ),
  );
}
