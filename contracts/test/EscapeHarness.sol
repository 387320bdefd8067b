// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccountProof} from "../escape/AccountProof.sol";
import {MerklePatriciaProof} from "../escape/MerklePatriciaProof.sol";

/// @notice Test-only: exposes the escape hatch's proof libraries so test/contracts/escape can
/// check them against proofs made by the L2's own state code (src/execution).
contract EscapeHarness {
    /// @notice MerklePatriciaProof.get
    function get(bytes32 root, bytes calldata key, bytes[] calldata proof) external pure returns (bool, bytes memory) {
        return MerklePatriciaProof.get(root, key, proof);
    }

    /// @notice AccountProof.verify
    function account(bytes32 stateRoot, address account_, bytes[] calldata proof)
        external
        pure
        returns (AccountProof.Account memory)
    {
        return AccountProof.verify(stateRoot, account_, proof);
    }
}
