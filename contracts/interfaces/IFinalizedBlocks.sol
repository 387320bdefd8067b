// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice What the Bridge needs from the Rollup: the roots of a finalized block.
interface IFinalizedBlocks {
    /// @notice The hash and roots of finalized block `number`; all zero if it is not finalized.
    function finalizedBlock(uint256 number)
        external
        view
        returns (bytes32 hash, bytes32 stateRoot, bytes32 withdrawalsRoot);
}
