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

    error NotConflicting(bytes32 payload);
    error EvidenceAlreadyReported(bytes32 evidenceId);
    error MemberAlreadySlashed(uint256 memberId);
    error InvalidEvidenceSignature(uint256 memberId);
    error RewardTransferFailed(address reporter, uint256 reward);

    /// @notice Slashes and ejects a member that voted for two different blocks in one view.
    /// @param epoch The epoch both votes name.
    /// @param signer The member's index in the epoch's order.
    /// @param viewNumber The view both votes name.
    /// @param blockHashA The first vote's block hash.
    /// @param signatureA The member's signature over `Digests.vote(.., blockHashA)` (EIP-2537 G2).
    /// @param blockHashB The second vote's block hash (must differ).
    /// @param signatureB The member's signature over `Digests.vote(.., blockHashB)`.
    function reportDoubleVote(
        uint256 epoch,
        uint256 signer,
        uint256 viewNumber,
        bytes32 blockHashA,
        bytes calldata signatureA,
        bytes32 blockHashB,
        bytes calldata signatureB
    ) external {
        Offence memory o = _offence(Digests.VOTE_TAG, epoch, signer, viewNumber, blockHashA, blockHashB);
        _verifyConflict(o, blockHashA, signatureA, blockHashB, signatureB);
        _slash(o);
    }

    /// @notice Slashes and ejects a leader that proposed two different blocks in one view.
    /// @param epoch The epoch both proposals name.
    /// @param signer The leader's index in the epoch's order.
    /// @param viewNumber The view both proposals name.
    /// @param blockHashA The first proposal's block hash.
    /// @param signatureA The leader's signature over `Digests.proposal(.., blockHashA)`.
    /// @param blockHashB The second proposal's block hash (must differ).
    /// @param signatureB The leader's signature over `Digests.proposal(.., blockHashB)`.
    function reportDoubleProposal(
        uint256 epoch,
        uint256 signer,
        uint256 viewNumber,
        bytes32 blockHashA,
        bytes calldata signatureA,
        bytes32 blockHashB,
        bytes calldata signatureB
    ) external {
        Offence memory o = _offence(Digests.PROPOSAL_TAG, epoch, signer, viewNumber, blockHashA, blockHashB);
        _verifyConflict(o, blockHashA, signatureA, blockHashB, signatureB);
        _slash(o);
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
        (Status status, uint88 slashedBy) = _memberStatus(memberId);
        if (status == Status.Ejected) {
            // An ejected member has no bond left: nothing to do. Say which case it is.
            if (slashedBy == uint88(uint256(id))) revert EvidenceAlreadyReported(id);
            revert MemberAlreadySlashed(memberId);
        }
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
    function _slash(Offence memory o) private {
        uint256 bond = _eject(o.memberId, o.evidenceId);
        uint256 reward = bond * REPORTER_SHARE_BPS / 10_000;
        emit MemberSlashed(o.memberId, msg.sender, o.tag, o.epoch, o.viewNumber, reward, bond - reward);
        (bool ok,) = msg.sender.call{value: reward}("");
        if (!ok) revert RewardTransferFailed(msg.sender, reward);
    }
}
