// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice The L2 block header, mirrored field for field from src/protocol/header.ts.
/// @dev Every field is a static ABI type, so `abi.encode(header)` is 16 plain 32-byte words, the
/// same bytes viem's `encodeAbiParameters(HEADER_ABI_PARAMS, ...)` produces. `view` is a Solidity
/// keyword, so the field is named `viewNumber`; ABI encoding is positional, so the bytes (and
/// HEADER_TUPLE in TypeScript, which names it `view`) are unaffected.
struct Header {
    uint256 number;
    uint256 viewNumber;
    bytes32 parentHash;
    uint256 timestamp;
    address proposer;
    uint256 l1Origin;
    /// @dev L1's hash of block l1Origin: binds the block to one L1 history (Rollup checks it).
    bytes32 l1OriginHash;
    uint256 inboxCursor;
    bytes32 inboxHash;
    bytes32 dataHash;
    bytes32 stateRoot;
    bytes32 transactionsRoot;
    bytes32 receiptsRoot;
    bytes32 withdrawalsRoot;
    uint256 baseFee;
    uint256 gasUsed;
}

/// @title HeaderHash
/// @notice The block hash: keccak256(abi.encode(HEADER_TAG, chainId, rollup) ++ abi.encode(header)),
/// exactly `hashHeader` in src/protocol/header.ts. The chain id and the Rollup address bind a
/// block to one deployment, so a header (and a QC over it) cannot be replayed on another.
library HeaderHash {
    /// @dev keccak256("hotstuff-rollup:header:v1")
    bytes32 internal constant HEADER_TAG = keccak256("hotstuff-rollup:header:v1");

    function hash(Header memory header, uint256 chainId, address rollup) internal pure returns (bytes32) {
        // A static struct is encoded in place, so this is the prefix followed by the 16 fields.
        return keccak256(abi.encode(HEADER_TAG, chainId, rollup, header));
    }
}
