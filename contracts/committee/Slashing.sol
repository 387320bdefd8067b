// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BLS} from "../bls/BLS.sol";
import {Digests} from "../protocol/Digests.sol";
import {KeyTable} from "./KeyTable.sol";
import {Membership} from "./Membership.sol";
import {Pairing} from "./Pairing.sol";

/// @title Slashing
/// @notice Anyone holding two signatures by one committee member, of one kind (vote or proposal),
/// in one epoch and view, over different blocks, gets part of the member's bond; the member is
/// ejected (it leaves at the next epoch). The member is named as the consensus core names it:
/// its index in the epoch's member order (the signer bit of its QCs).
///
/// Reports are commit-reveal, so that a copied report earns the copier nothing: the reporter
/// first commits `reportCommitment(evidenceId, reporter)` (which hides the evidence), then, at
/// least one block later, reveals the evidence naming itself; the reward goes to the reporter
/// named in the reveal, and only if that (evidence, reporter) pair was committed in an earlier
/// block. Copying the reveal verbatim pays the original reporter; rewriting its reporter finds
/// no earlier commitment. (Naming the reporter alone would not do: the evidence is not bound to
/// it, so a copier would just name itself.) What is left is a block builder that censors the
/// reveal for a block while it commits and reveals itself: the same trust every commit-reveal
/// places in inclusion; the member is slashed either way.
abstract contract Slashing is Membership {
    /// @notice Share of a slashed bond paid to the reporter, in basis points. The rest is burned:
    /// it stays locked in the Committee, which has no function that moves it (the amount is in
    /// `MemberSlashed`). A member reporting itself through another account still loses 90%.
    uint256 public constant REPORTER_SHARE_BPS = 1_000;

    struct Offence {
        bytes32 tag;
        uint256 epoch;
        uint256 signer;
        uint256 viewNumber;
        uint256 memberId;
        bytes32 evidenceId;
    }

    event MemberSlashed(
        uint256 indexed memberId,
        address indexed reporter,
        bytes32 indexed tag,
        uint256 epoch,
        uint256 viewNumber,
        uint256 reward,
        uint256 burned
    );

    /// @notice A reporter committed to evidence it will reveal from the next block on.
    event ReportCommitted(bytes32 indexed commitment, uint256 blockNumber);

    error NotConflicting(bytes32 payload);
    error EvidenceAlreadyReported(bytes32 evidenceId);
    error BondAlreadyWithdrawn(uint256 memberId);
    error ReportAlreadyCommitted(bytes32 commitment, uint256 blockNumber);
    error ReportNotCommitted(bytes32 commitment);
    error ReportCommittedTooRecently(bytes32 commitment, uint256 blockNumber);
    error InvalidEvidenceSignature(uint256 memberId);
    error RewardTransferFailed(address reporter, uint256 reward);

    /// @dev Block in which each report commitment was first made.
    mapping(bytes32 commitment => uint256 blockNumber) private _reportCommitments;

    /// @notice Commits to a report to be revealed from the next block on. The first commitment
    /// of a pair stands: it cannot be moved to a later block.
    /// @param commitment `reportCommitment(evidenceId, reporter)`.
    function commitReport(bytes32 commitment) external {
        uint256 committed = _reportCommitments[commitment];
        if (committed != 0) revert ReportAlreadyCommitted(commitment, committed);
        _reportCommitments[commitment] = block.number;
        emit ReportCommitted(commitment, block.number);
    }

    /// @notice Slashes and ejects a member that voted for two different blocks in one view.
    /// @param epoch The epoch both votes name.
    /// @param signer The member's index in the epoch's order.
    /// @param viewNumber The view both votes name.
    /// @param blockHashA The first vote's block hash.
    /// @param signatureA The member's signature over `Digests.vote(.., blockHashA)` (EIP-2537 G2).
    /// @param blockHashB The second vote's block hash (must differ).
    /// @param signatureB The member's signature over `Digests.vote(.., blockHashB)`.
    /// @param reporter Who committed to this evidence (`commitReport`) and gets the reward.
    function reportDoubleVote(
        uint256 epoch,
        uint256 signer,
        uint256 viewNumber,
        bytes32 blockHashA,
        bytes calldata signatureA,
        bytes32 blockHashB,
        bytes calldata signatureB,
        address reporter
    ) external {
        Offence memory o = _offence(Digests.VOTE_TAG, epoch, signer, viewNumber, blockHashA, blockHashB);
        _checkCommitted(o.evidenceId, reporter);
        _verifyConflict(o, blockHashA, signatureA, blockHashB, signatureB);
        _slash(o, reporter);
    }

    /// @notice Slashes and ejects a leader that proposed two different blocks in one view.
    /// @param epoch The epoch both proposals name.
    /// @param signer The leader's index in the epoch's order.
    /// @param viewNumber The view both proposals name.
    /// @param blockHashA The first proposal's block hash.
    /// @param signatureA The leader's signature over `Digests.proposal(.., blockHashA)`.
    /// @param blockHashB The second proposal's block hash (must differ).
    /// @param signatureB The leader's signature over `Digests.proposal(.., blockHashB)`.
    /// @param reporter Who committed to this evidence (`commitReport`) and gets the reward.
    function reportDoubleProposal(
        uint256 epoch,
        uint256 signer,
        uint256 viewNumber,
        bytes32 blockHashA,
        bytes calldata signatureA,
        bytes32 blockHashB,
        bytes calldata signatureB,
        address reporter
    ) external {
        Offence memory o = _offence(Digests.PROPOSAL_TAG, epoch, signer, viewNumber, blockHashA, blockHashB);
        _checkCommitted(o.evidenceId, reporter);
        _verifyConflict(o, blockHashA, signatureA, blockHashB, signatureB);
        _slash(o, reporter);
    }

    /// @notice The identifier of an offence (independent of the order of the two blocks).
    function evidenceId(bytes32 tag, uint256 memberId, uint256 epoch, uint256 viewNumber, bytes32 a, bytes32 b)
        public
        pure
        returns (bytes32)
    {
        (bytes32 low, bytes32 high) = a < b ? (a, b) : (b, a);
        return keccak256(abi.encode(tag, memberId, epoch, viewNumber, low, high));
    }

    /// @notice What a reporter commits to before revealing evidence: the evidence id bound to
    /// the reporter that the reward goes to.
    function reportCommitment(bytes32 id, address reporter) public pure returns (bytes32) {
        return keccak256(abi.encode(id, reporter));
    }

    /// @notice The block in which `commitment` was made (zero if never).
    function reportCommittedAt(bytes32 commitment) external view returns (uint256) {
        return _reportCommitments[commitment];
    }

    /// @dev The reveal must follow its commitment by at least a block: a commitment made in the
    /// reveal's own block could be a copier's, placed just before the copied reveal.
    function _checkCommitted(bytes32 id, address reporter) private view {
        bytes32 commitment = reportCommitment(id, reporter);
        uint256 committed = _reportCommitments[commitment];
        if (committed == 0) revert ReportNotCommitted(commitment);
        if (committed >= block.number) revert ReportCommittedTooRecently(commitment, committed);
    }

    /// @dev Cheap refusals before any pairing: same payload, unknown epoch or signer, replay,
    /// already slashed.
    function _offence(bytes32 tag, uint256 epoch, uint256 signer, uint256 viewNumber, bytes32 a, bytes32 b)
        private
        view
        returns (Offence memory o)
    {
        if (a == b) revert NotConflicting(a);
        uint256 size = _epochs[epoch].size;
        if (size == 0) revert UnknownEpoch(epoch, _currentEpoch);
        if (signer >= size) revert SignerNotInCommittee(epoch, signer, size);
        uint256 memberId = _epochMembers[epoch][signer];
        bytes32 id = evidenceId(tag, memberId, epoch, viewNumber, a, b);
        Member storage m = _members[memberId];
        Status status = m.status;
        if (status == Status.Ejected) {
            // An ejected member has no bond left: nothing to do. Say which case it is.
            if (m.slashingEvidence == uint88(uint256(id))) revert EvidenceAlreadyReported(id);
            revert MemberAlreadySlashed(memberId);
        }
        // The unbonding delay exists so that this does not happen to evidence reported in time.
        if (status == Status.Withdrawn) revert BondAlreadyWithdrawn(memberId);
        return Offence(tag, epoch, signer, viewNumber, memberId, id);
    }

    /// @dev Both signatures by one key in one 2-pair pairing, with the key read negated from the
    /// epoch's key page: e(-pk, H(mA) + H(mB)) · e(G1, sigA + sigB) == 1. Framing an honest member
    /// this way needs sk·H(mB) (a forgery) even given its real signature on mA, so it is as strong
    /// as two separate checks.
    function _verifyConflict(
        Offence memory o,
        bytes32 blockHashA,
        bytes calldata signatureA,
        bytes32 blockHashB,
        bytes calldata signatureB
    ) private view {
        bytes32 digestA = keccak256(abi.encode(o.tag, _l2ChainId, _rollup, o.epoch, o.viewNumber, blockHashA));
        bytes32 digestB = keccak256(abi.encode(o.tag, _l2ChainId, _rollup, o.epoch, o.viewNumber, blockHashB));
        bytes memory input = new bytes(768);
        Epoch storage e = _epochs[o.epoch];
        address page = o.signer < KeyTable.KEYS_PER_PAGE ? e.page0 : e.page1;
        KeyTable.copyNegatedKey(page, o.signer % KeyTable.KEYS_PER_PAGE, Pairing.pointer(input, 0));
        Pairing.write(
            Pairing.addG2(
                BLS.hashToG2(abi.encodePacked(digestA), BLS.SIGNATURE_DST),
                BLS.hashToG2(abi.encodePacked(digestB), BLS.SIGNATURE_DST)
            ),
            input,
            128
        );
        Pairing.write(Pairing.G1, input, 384);
        Pairing.write(Pairing.addG2(signatureA, signatureB), input, 512);
        if (!Pairing.check(input)) revert InvalidEvidenceSignature(o.memberId);
    }

    /// @dev Ejects the member, then pays the reporter its share (state first, then the transfer).
    function _slash(Offence memory o, address reporter) private {
        uint256 bond = _eject(o.memberId, o.evidenceId);
        uint256 reward = bond * REPORTER_SHARE_BPS / 10_000;
        emit MemberSlashed(o.memberId, reporter, o.tag, o.epoch, o.viewNumber, reward, bond - reward);
        (bool ok,) = reporter.call{value: reward}("");
        if (!ok) revert RewardTransferFailed(reporter, reward);
    }
}
