// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BLS} from "./bls/BLS.sol";
import {Bitmap} from "./committee/Bitmap.sol";
import {KeyTable} from "./committee/KeyTable.sol";
import {Membership} from "./committee/Membership.sol";
import {Epochs} from "./committee/Epochs.sol";
import {Exits} from "./committee/Exits.sol";
import {Slashing} from "./committee/Slashing.sol";
import {Pairing} from "./committee/Pairing.sol";

/// @title Committee
/// @notice The HotStuff committee on L1: governed membership (Governed, Membership), epochs
/// (Epochs), exits and bonds (Exits), slashing of members who sign conflicting messages
/// (Slashing), and verification of quorum signatures for the Rollup.
contract Committee is Epochs, Exits, Slashing {
    uint256 private constant PAIR = 384;

    error InsufficientQuorum(uint256 epoch, uint256 signers, uint256 quorum);
    /// @notice QC signature `qc` (0: the first of the pair, 1: the second) is the point at infinity.
    error QuorumSignatureAtInfinity(uint256 qc);
    /// @notice QC signature `qc` is off the curve or outside the prime-order subgroup.
    error QuorumSignatureNotInSubgroup(uint256 qc);

    /// @param l2ChainId_ The L2 chain id every signed digest names.
    /// @param minimumBond_ The smallest bond an application carries.
    /// @param unbondingDelay_ Seconds from a member's leaving to its bond unlocking (see Exits).
    /// @param governance_ The account that seats, admits and removes members.
    constructor(uint256 l2ChainId_, uint256 minimumBond_, uint256 unbondingDelay_, address governance_)
        Membership(l2ChainId_, minimumBond_, unbondingDelay_, governance_)
    {}

    /// @notice Verifies two quorum signatures of `epoch` (a commit proof's two QCs) with one
    /// 3-pair pairing: e(apkA, H(digestA)) · e(apkB, H(digestB)) · e(-G1, sigA + sigB) == 1,
    /// where each apk is the epoch's aggregate key minus its QC's non-signers.
    /// @dev Membership and quorum are checked before any curve arithmetic and revert; so does a
    /// signature at infinity, off the curve or outside the subgroup (DESIGN §3: each is checked
    /// before the two are summed, see `Pairing.addCheckedG2`). A false return means the
    /// signatures do not verify. Checking the sum of the two signatures is the standard BLS
    /// aggregate-signature verification (distinct messages, keys with proofs of possession): it
    /// holds only if each named signer set signed its own digest.
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
        (bytes memory sum, uint256 bad) = Pairing.addCheckedG2(signatureA, signatureB);
        if (bad == 0 || bad == 1) _refuseSignature(signatureA, signatureB, bad);
        bytes memory input = new bytes(3 * PAIR);
        _writeSignersKey(e, signersA, input, 0);
        Pairing.write(BLS.hashToG2(abi.encodePacked(digestA), BLS.SIGNATURE_DST), input, 128);
        _writeSignersKey(e, signersB, input, PAIR);
        Pairing.write(BLS.hashToG2(abi.encodePacked(digestB), BLS.SIGNATURE_DST), input, PAIR + 128);
        Pairing.write(Pairing.NEG_G1, input, 2 * PAIR);
        Pairing.write(sum, input, 2 * PAIR + 128);
        (bool ok, bool verified) = Pairing.tryCheck(input);
        // Every other point in the input is ours (validated keys, hashes, -G1), and signature A
        // passed G2MSM: a refusal means the sum, so signature B, is outside the subgroup.
        if (!ok) revert QuorumSignatureNotInSubgroup(1);
        return verified;
    }

    /// @dev Reverts with the reason signature `qc` was refused.
    function _refuseSignature(bytes calldata a, bytes calldata b, uint256 qc) private pure {
        bytes calldata s = qc == 0 ? a : b;
        bool zero = true;
        for (uint256 i = 0; i < s.length; ++i) {
            if (s[i] != 0) {
                zero = false;
                break;
            }
        }
        if (zero) revert QuorumSignatureAtInfinity(qc);
        revert QuorumSignatureNotInSubgroup(qc);
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
