// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {BLS} from "../bls/BLS.sol";

/// @title BLSHarness
/// @notice Test-only: exposes the BLS library as external functions, and `*Gas` variants that
/// also return the gas the library call used (gasleft() before minus after: the library's own
/// cost, without the transaction's base cost, calldata or ABI decoding).
contract BLSHarness {
    /// @notice See `BLS.hashToG2`.
    function hashToG2(bytes memory message, bytes memory dst) external view returns (bytes memory) {
        return BLS.hashToG2(message, dst);
    }

    /// @notice See `BLS.verify`.
    function verify(bytes memory publicKey, bytes32 digest, bytes memory signature) external view returns (bool) {
        return BLS.verify(publicKey, digest, signature);
    }

    /// @notice See `BLS.verifyPossession`.
    function verifyPossession(bytes memory publicKey, bytes32 popDigest, bytes memory proof)
        external
        view
        returns (bool)
    {
        return BLS.verifyPossession(publicKey, popDigest, proof);
    }

    /// @notice See `BLS.verifyAggregate`.
    function verifyAggregate(bytes[] memory publicKeys, bytes32 digest, bytes memory signature)
        external
        view
        returns (bool)
    {
        return BLS.verifyAggregate(publicKeys, digest, signature);
    }

    /// @notice See `BLS.validateG1`.
    function validateG1(bytes memory p) external view {
        BLS.validateG1(p);
    }

    /// @notice See `BLS.validateG2`.
    function validateG2(bytes memory p) external view {
        BLS.validateG2(p);
    }

    /// @notice See `BLS.addG1`.
    function addG1(bytes memory a, bytes memory b) external view returns (bytes memory) {
        return BLS.addG1(a, b);
    }

    /// @notice See `BLS.negateG1`.
    function negateG1(bytes memory p) external pure returns (bytes memory) {
        return BLS.negateG1(p);
    }

    /// @notice See `BLS.aggregateG1`.
    function aggregateG1(bytes[] memory points) external view returns (bytes memory) {
        return BLS.aggregateG1(points);
    }

    /// @notice `hashToG2` and the gas the library call used.
    function hashToG2Gas(bytes memory message, bytes memory dst)
        external
        view
        returns (bytes memory point, uint256 gasUsed)
    {
        uint256 before = gasleft();
        point = BLS.hashToG2(message, dst);
        gasUsed = before - gasleft();
    }

    /// @notice `verify` and the gas the library call used.
    function verifyGas(bytes memory publicKey, bytes32 digest, bytes memory signature)
        external
        view
        returns (bool valid, uint256 gasUsed)
    {
        uint256 before = gasleft();
        valid = BLS.verify(publicKey, digest, signature);
        gasUsed = before - gasleft();
    }

    /// @notice `verifyPossession` and the gas the library call used.
    function verifyPossessionGas(bytes memory publicKey, bytes32 popDigest, bytes memory proof)
        external
        view
        returns (bool valid, uint256 gasUsed)
    {
        uint256 before = gasleft();
        valid = BLS.verifyPossession(publicKey, popDigest, proof);
        gasUsed = before - gasleft();
    }

    /// @notice `verifyAggregate` and the gas the library call used.
    function verifyAggregateGas(bytes[] memory publicKeys, bytes32 digest, bytes memory signature)
        external
        view
        returns (bool valid, uint256 gasUsed)
    {
        uint256 before = gasleft();
        valid = BLS.verifyAggregate(publicKeys, digest, signature);
        gasUsed = before - gasleft();
    }

    /// @notice `validateG1` and the gas the library call used.
    function validateG1Gas(bytes memory p) external view returns (uint256 gasUsed) {
        uint256 before = gasleft();
        BLS.validateG1(p);
        gasUsed = before - gasleft();
    }

    /// @notice `negateG1` then `addG1` (removing one key from an aggregate) and the gas used.
    function removeG1Gas(bytes memory sum, bytes memory p) external view returns (bytes memory rest, uint256 gasUsed) {
        uint256 before = gasleft();
        rest = BLS.addG1(sum, BLS.negateG1(p));
        gasUsed = before - gasleft();
    }
}
