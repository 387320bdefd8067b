// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Digests} from "../protocol/Digests.sol";
import {Header, HeaderHash} from "../protocol/Header.sol";
import {WithdrawalProof} from "../protocol/WithdrawalProof.sol";
import {Bitmap} from "../committee/Bitmap.sol";

/// @notice Test-only: exposes the protocol libraries so test/contracts/protocol can compare them
/// with src/protocol byte for byte.
contract ProtocolHarness {
    /// @notice HeaderHash.hash
    function hashHeader(Header calldata header, uint256 chainId, address rollup) external pure returns (bytes32) {
        return HeaderHash.hash(header, chainId, rollup);
    }

    /// @notice Digests.vote
    function vote(uint256 chainId, address rollup, uint256 epoch, uint256 viewNumber, bytes32 blockHash)
        external
        pure
        returns (bytes32)
    {
        return Digests.vote(chainId, rollup, epoch, viewNumber, blockHash);
    }

    /// @notice Digests.proposal
    function proposal(uint256 chainId, address rollup, uint256 epoch, uint256 viewNumber, bytes32 blockHash)
        external
        pure
        returns (bytes32)
    {
        return Digests.proposal(chainId, rollup, epoch, viewNumber, blockHash);
    }

    /// @notice Digests.timeout
    function timeout(uint256 chainId, address rollup, uint256 epoch, uint256 viewNumber, uint256 highQcView)
        external
        pure
        returns (bytes32)
    {
        return Digests.timeout(chainId, rollup, epoch, viewNumber, highQcView);
    }

    /// @notice Digests.possession
    function possession(uint256 chainId, address committee, address operator, bytes calldata publicKey)
        external
        pure
        returns (bytes32)
    {
        return Digests.possession(chainId, committee, operator, publicKey);
    }

    /// @notice WithdrawalProof.leaf
    function withdrawalLeaf(uint256 blockNumber, uint256 index, address recipient, uint256 amount)
        external
        pure
        returns (bytes32)
    {
        return WithdrawalProof.leaf(blockNumber, index, recipient, amount);
    }

    /// @notice WithdrawalProof.rootFromProof
    function rootFromProof(bytes32 leaf, bytes32[] calldata proof) external pure returns (bytes32) {
        return WithdrawalProof.rootFromProof(leaf, proof);
    }

    /// @notice Bitmap.count, Bitmap.lowest, Bitmap.highest
    function bits(uint256 x) external pure returns (uint256 count, uint256 lowest, uint256 highest) {
        return (Bitmap.count(x), x == 0 ? 0 : Bitmap.lowest(x), x == 0 ? 0 : Bitmap.highest(x));
    }
}
