// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice What the Committee asks a Rollup when it is sealed to it: which committee it trusts.
interface ICommitteeOfRollup {
    /// @notice The Committee whose QCs finalize this Rollup's blocks.
    function committee() external view returns (address);
}
