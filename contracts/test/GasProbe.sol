// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Committee} from "../Committee.sol";

/// @notice Benchmark-only: the gas of verifying a commit proof's two QCs exactly as the Rollup
/// calls it (an external call to the Committee with the same arguments), measured with gasleft().
contract GasProbe {
    /// @notice Committee.verifyQuorumPair and the gas it used, call overhead included.
    function quorumPairGas(
        Committee committee,
        uint256 epoch,
        bytes32 digestA,
        uint256 signersA,
        bytes calldata signatureA,
        bytes32 digestB,
        uint256 signersB,
        bytes calldata signatureB
    ) external view returns (bool valid, uint256 gasUsed) {
        uint256 before = gasleft();
        valid = committee.verifyQuorumPair(epoch, digestA, signersA, signatureA, digestB, signersB, signatureB);
        gasUsed = before - gasleft();
    }
}
