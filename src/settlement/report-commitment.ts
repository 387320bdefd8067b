/**
 * The identifiers of the slashing commit-reveal, mirrored from contracts/committee/Slashing.sol
 * (`evidenceId`, `reportCommitment`): a reporter commits to keccak256(abi.encode(evidenceId,
 * reporter)) and reveals the evidence a block later. Computed here rather than asked of L1, so
 * the evidence stays private until the reveal. test/contracts/committee/Slashing.test.ts checks
 * both sides agree.
 */
import { encodeAbiParameters, type Address, type Hex } from "viem";
import { keccak256 } from "../crypto/keccak.ts";
import { PROPOSAL_TAG, VOTE_TAG } from "../protocol/digests.ts";

/** The id of an offence, independent of the order of the two blocks (Slashing.evidenceId). */
export function evidenceId(kind: "vote" | "proposal", memberId: bigint, epoch: bigint, view: bigint, blockHashA: Hex, blockHashB: Hex): Hex {
  const [low, high] = BigInt(blockHashA) < BigInt(blockHashB) ? [blockHashA, blockHashB] : [blockHashB, blockHashA];
  return keccak256(
    encodeAbiParameters(
      [{ type: "bytes32" }, { type: "uint256" }, { type: "uint256" }, { type: "uint256" }, { type: "bytes32" }, { type: "bytes32" }],
      [kind === "vote" ? VOTE_TAG : PROPOSAL_TAG, memberId, epoch, view, low, high],
    ),
  );
}

/** What `reporter` commits to before revealing the evidence `id` (Slashing.reportCommitment). */
export function reportCommitment(id: Hex, reporter: Address): Hex {
  return keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "address" }], [id, reporter]));
}
