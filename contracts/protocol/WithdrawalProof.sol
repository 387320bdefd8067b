// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title WithdrawalProof
/// @notice Withdrawal leaves and their Merkle proofs, mirrored from src/protocol/withdrawals.ts:
///   leaf = keccak256(abi.encode(WITHDRAWAL_TAG, blockNumber, index, recipient, amount))
///   node = keccak256(min(a, b) ++ max(a, b))   (sorted pairs, as OpenZeppelin's MerkleProof)
/// Levels where a node is carried up unchanged contribute no sibling, so a proof is just the
/// list of siblings actually hashed.
library WithdrawalProof {
    bytes32 internal constant WITHDRAWAL_TAG = keccak256("hotstuff-rollup:withdrawal:v1");

    function leaf(uint256 blockNumber, uint256 index, address recipient, uint256 amount)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(WITHDRAWAL_TAG, blockNumber, index, recipient, amount));
    }

    function rootFromProof(bytes32 node, bytes32[] calldata proof) internal pure returns (bytes32) {
        for (uint256 i = 0; i < proof.length; ++i) {
            node = _hashPair(node, proof[i]);
        }
        return node;
    }

    function _hashPair(bytes32 a, bytes32 b) private pure returns (bytes32 result) {
        (bytes32 low, bytes32 high) = a < b ? (a, b) : (b, a);
        // Safe: writes the two words to scratch space (0x00..0x3f), which Solidity reserves for
        // exactly this kind of short-lived hashing and never expects to survive a statement.
        assembly ("memory-safe") {
            mstore(0x00, low)
            mstore(0x20, high)
            result := keccak256(0x00, 0x40)
        }
    }
}
