// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Digests
/// @notice The 32-byte messages committee members sign, mirrored from src/protocol/digests.ts:
///   keccak256(abi.encode(TAG, chainId, rollup, epoch, view, payload))
/// The tag names the kind, so a vote can never be presented as a proposal or a timeout; chain id,
/// Rollup address and epoch make a signature useless on another deployment or committee.
library Digests {
    bytes32 internal constant VOTE_TAG = keccak256("hotstuff-rollup:vote:v1");
    bytes32 internal constant PROPOSAL_TAG = keccak256("hotstuff-rollup:proposal:v1");
    bytes32 internal constant TIMEOUT_TAG = keccak256("hotstuff-rollup:timeout:v1");
    bytes32 internal constant POP_TAG = keccak256("hotstuff-rollup:pop:v2");

    /// @dev What a member signs to vote for `blockHash` in `view`; a QC aggregates these.
    function vote(uint256 chainId, address rollup, uint256 epoch, uint256 viewNumber, bytes32 blockHash)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(VOTE_TAG, chainId, rollup, epoch, viewNumber, blockHash));
    }

    /// @dev What the leader of `view` signs to propose `blockHash`.
    function proposal(uint256 chainId, address rollup, uint256 epoch, uint256 viewNumber, bytes32 blockHash)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(PROPOSAL_TAG, chainId, rollup, epoch, viewNumber, blockHash));
    }

    /// @dev What a member signs when `view` times out, naming its highest QC's view.
    function timeout(uint256 chainId, address rollup, uint256 epoch, uint256 viewNumber, uint256 highQcView)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(TIMEOUT_TAG, chainId, rollup, epoch, viewNumber, highQcView));
    }

    /// @dev Proof-of-possession message: the EIP-2537 key bound to the L2 chain id, the
    /// Committee contract that registers it and the operator that applies with it (not to an
    /// epoch: a key proves possession once). Naming the operator makes a copied application
    /// useless: sent by anyone else, the proof does not verify (v2; v1 had no operator).
    function possession(uint256 chainId, address committee, address operator, bytes memory publicKey)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(POP_TAG, chainId, committee, operator, publicKey));
    }
}
