// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BLS} from "./bls/BLS.sol";
import {Bitmap} from "./committee/Bitmap.sol";
import {KeyTable} from "./committee/KeyTable.sol";
import {Membership} from "./committee/Membership.sol";
import {Slashing} from "./committee/Slashing.sol";
import {Pairing} from "./committee/Pairing.sol";

/// @title Committee
/// @notice The HotStuff committee on L1: membership and epochs (Membership), slashing of members
/// who sign conflicting messages (Slashing), and verification of quorum signatures for the Rollup.
contract Committee is Slashing {
    uint256 private constant PAIR = 384;

    error InsufficientQuorum(uint256 epoch, uint256 signers, uint256 quorum);

    constructor(uint256 l2ChainId_, uint256 minimumBond_) Membership(l2ChainId_, minimumBond_) {}

    /// @notice Verifies two quorum signatures of `epoch` (a commit proof's two QCs) with one
    /// 3-pair pairing: e(apkA, H(digestA)) · e(apkB, H(digestB)) · e(-G1, sigA + sigB) == 1,
    /// where each apk is the epoch's aggregate key minus its QC's non-signers.
    /// @dev Membership and quorum are checked before any curve arithmetic and revert; a false
    /// return means the signatures do not verify. Checking the sum of the two signatures is the
    /// standard BLS aggregate-signature verification (distinct messages, keys with proofs of
    /// possession): it holds only if each named signer set signed its own digest.
    /// @param epoch The epoch both QCs name.
    /// @param digestA Vote digest certified by the first QC.
    /// @param signersA Its signer bitmap over the epoch's member order.
    /// @param signatureA Its aggregate signature (EIP-2537 G2).
    /// @param digestB Vote digest certified by the second QC.
    /// @param signersB Its signer bitmap.
    /// @param signatureB Its aggregate signature.
    /// @return valid Whether both quorum signatures verify.
    function verifyQuorumPair(
        uint256 epoch,
        bytes32 digestA,
        uint256 signersA,
        bytes calldata signatureA,
        bytes32 digestB,
        uint256 signersB,
        bytes calldata signatureB
    ) external view returns (bool valid) {
        // A storage pointer: page1 is read only when a non-signer sits on it.
        Epoch storage e = _epochs[epoch];
        if (e.page0 == address(0)) revert UnknownEpoch(epoch, _currentEpoch);
        _checkSigners(epoch, e.size, signersA);
        _checkSigners(epoch, e.size, signersB);
        bytes memory input = new bytes(3 * PAIR);
        _writeSignersKey(e, signersA, input, 0);
        Pairing.write(BLS.hashToG2(abi.encodePacked(digestA), BLS.SIGNATURE_DST), input, 128);
        _writeSignersKey(e, signersB, input, PAIR);
        Pairing.write(BLS.hashToG2(abi.encodePacked(digestB), BLS.SIGNATURE_DST), input, PAIR + 128);
        Pairing.write(Pairing.NEG_G1, input, 2 * PAIR);
        Pairing.write(Pairing.addG2(signatureA, signatureB), input, 2 * PAIR + 128);
        return Pairing.check(input);
    }

    /// @dev Membership (no bit at or above the epoch size; a bitmap cannot repeat a signer),
    /// then quorum n - f with f = floor((n - 1) / 3).
    function _checkSigners(uint256 epoch, uint256 size, uint256 signers) private pure {
        if (signers >> size != 0) revert SignerNotInCommittee(epoch, Bitmap.highest(signers), size);
        uint256 quorum = size - (size - 1) / 3;
        uint256 count = Bitmap.count(signers);
        if (count < quorum) revert InsufficientQuorum(epoch, count, quorum);
    }

    /// @dev Writes at `offset` the aggregate key minus the non-signers' keys. After the quorum
    /// check non-signers number at most f < n - f signers, so subtracting them is always cheaper
    /// than adding the signers. Uses input[offset + 128, offset + 256) as scratch (overwritten
    /// by the hash afterwards).
    function _writeSignersKey(Epoch storage e, uint256 signers, bytes memory input, uint256 offset) private view {
        uint256 buffer = Pairing.pointer(input, offset); // the caller allocated offset + 256 bytes
        (address page0, uint256 size) = (e.page0, e.size); // one slot
        KeyTable.copyAggregate(page0, buffer);
        uint256 nonSigners = ~signers & Bitmap.full(size);
        while (nonSigners != 0) {
            uint256 index = Bitmap.lowest(nonSigners);
            // Safe: nonSigners != 0, so clearing its lowest bit cannot underflow.
            unchecked {
                nonSigners &= nonSigners - 1;
            }
            address page = index < KeyTable.KEYS_PER_PAGE ? page0 : e.page1;
            KeyTable.copyNegatedKey(page, index % KeyTable.KEYS_PER_PAGE, buffer + 128);
            Pairing.addG1InPlace(buffer);
        }
    }
}
