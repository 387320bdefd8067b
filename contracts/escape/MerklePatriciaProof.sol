// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RLPReader} from "./RLPReader.sol";

/// @title MerklePatriciaProof
/// @notice Checks a Merkle-Patricia proof (the `accountProof` of eth_getProof, EIP-1186) against
/// a trie root: the value under a key, or proof that the key is absent. Mirrors
/// src/execution/proof.ts, which checks the same proofs in TypeScript.
///
/// A proof is the list of RLP-encoded nodes on the key's path, root first. Node i must hash to
/// the reference its parent holds (node 0 to the root), so no node can be forged. Nodes
/// (Yellow Paper, appendix D):
///   branch     [ref_0 .. ref_15, value]     follow nibble k of the key
///   extension  [hexPrefix(path), ref]       the key must continue with `path`
///   leaf       [hexPrefix(path), value]     the key must end with `path`
/// where a reference is the child's keccak hash (32 bytes) or, for a child shorter than 32
/// bytes, the child itself, embedded. The walk ends at the value, or at a dead end (an empty
/// branch slot, a diverging extension or leaf): the key is absent, which is a valid answer too.
/// A proof that stops before its walk ends, or that carries nodes after it, is refused.
library MerklePatriciaProof {
    using RLPReader for RLPReader.Item;

    /// @notice keccak256(rlp("")): the root of a trie with no keys.
    bytes32 internal constant EMPTY_TRIE_ROOT = 0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421;

    /// @notice Node `index` does not hash to the reference its parent holds (the root for node 0).
    error ProofNodeMismatch(uint256 index, bytes32 expected, bytes32 actual);
    /// @notice The proof ends before the key's path reaches a value or a dead end.
    error ProofTruncated(uint256 nodes);
    /// @notice The walk ended at node `used - 1` but the proof has more nodes.
    error ProofHasExtraNodes(uint256 used, uint256 nodes);
    /// @notice Keys are at most 32 bytes (the state and storage tries' keys are keccak hashes).
    error KeyTooLong(uint256 length);
    /// @notice Node `index` is neither a branch (17 items) nor an extension or leaf (2 items),
    /// or holds a reference that is neither a 32-byte hash nor an embedded node.
    error InvalidProofNode(uint256 index);

    /// @notice The value under `key` in the trie with root `root`.
    /// @param root The trie's root hash.
    /// @param key The key, as stored in the trie (for the state trie: keccak256(address)).
    /// @param proof RLP-encoded nodes from the root down the key's path.
    /// @return exists Whether the key is in the trie.
    /// @return value Its value (empty when absent).
    function get(bytes32 root, bytes memory key, bytes[] memory proof)
        internal
        pure
        returns (bool exists, bytes memory value)
    {
        // An empty trie has no node to prove anything with: every key is absent.
        if (root == EMPTY_TRIE_ROOT && proof.length == 0) return (false, "");
        if (key.length > 32) revert KeyTooLong(key.length);
        // The key as one word, left-aligned, so nibbles and runs of them are shifts, not byte reads.
        Key memory k = Key(uint256(bytes32(key)), key.length * 2);
        uint256 depth = 0; // nibbles of the key consumed so far
        bytes32 expected = root;
        for (uint256 i = 0; i < proof.length; ++i) {
            bytes32 actual = keccak256(proof[i]);
            if (actual != expected) revert ProofNodeMismatch(i, expected, actual);
            Step memory step = _walk(RLPReader.toItem(proof[i]), k, depth, i);
            if (step.outcome != Outcome.Descend) {
                if (i + 1 != proof.length) revert ProofHasExtraNodes(i + 1, proof.length);
                return (step.outcome == Outcome.Found, step.value);
            }
            (depth, expected) = (step.depth, step.child);
        }
        revert ProofTruncated(proof.length);
    }

    enum Outcome {
        Descend,
        Found,
        Absent
    }

    struct Key {
        uint256 word;
        uint256 nibbles;
    }

    struct Step {
        Outcome outcome;
        uint256 depth;
        bytes32 child;
        bytes value;
    }

    /// @dev Walks node `index` and the nodes embedded in it from nibble `depth` of `key`, down to a
    /// hash reference (Descend, with the child's hash and the nibbles consumed), the value
    /// (Found) or a dead end (Absent).
    function _walk(RLPReader.Item memory node, Key memory key, uint256 depth, uint256 index)
        private
        pure
        returns (Step memory step)
    {
        for (;;) {
            RLPReader.Item[] memory items = node.readList();
            RLPReader.Item memory next;
            if (items.length == 17) {
                if (depth == key.nibbles) {
                    step.value = items[16].readBytes();
                    step.outcome = step.value.length != 0 ? Outcome.Found : Outcome.Absent;
                    return step;
                }
                next = items[_nibble(key, depth)];
                ++depth;
            } else if (items.length == 2) {
                (bool leaf, bool matches, uint256 pathNibbles) = _matchPath(items[0].readBytes(), key, depth);
                if (leaf) {
                    if (matches && depth + pathNibbles == key.nibbles) {
                        step.value = items[1].readBytes();
                        step.outcome = Outcome.Found;
                    } else {
                        step.outcome = Outcome.Absent;
                    }
                    return step;
                }
                if (!matches) {
                    step.outcome = Outcome.Absent;
                    return step;
                }
                depth += pathNibbles;
                next = items[1];
            } else {
                revert InvalidProofNode(index);
            }
            if (next.isList()) {
                node = next;
                continue;
            }
            uint256 refLength = next.payloadLength();
            if (refLength == 0) {
                step.outcome = Outcome.Absent;
                return step;
            }
            if (refLength != 32) revert InvalidProofNode(index);
            return Step(Outcome.Descend, depth, next.readBytes32(), "");
        }
    }

    /// @dev Whether hex-prefix encoded `path` equals the key's nibbles from `depth` on, the
    /// path's nibble count, and whether the node is a leaf (flag bit 2 of the first nibble; bit 1
    /// says the count is odd, the first nibble then in the low half of byte 0).
    function _matchPath(bytes memory path, Key memory key, uint256 depth)
        private
        pure
        returns (bool leaf, bool matches, uint256 pathNibbles)
    {
        uint256 length = path.length;
        if (length == 0 || length > 33) return (false, false, 0);
        uint256 first = uint8(path[0]);
        leaf = first >> 4 >= 2;
        bool odd = (first >> 4) & 1 == 1;
        pathNibbles = 2 * length - (odd ? 1 : 2);
        if (depth + pathNibbles > key.nibbles) return (leaf, false, pathNibbles);
        uint256 rest; // path bytes 1..length-1, as an integer
        // Safe: reads the word starting at byte 1 of `path` (allocated memory, or past its end
        // only by bytes the shift discards: length - 1 <= 32 bytes are kept).
        assembly ("memory-safe") {
            rest := shr(mul(8, sub(33, length)), mload(add(path, 0x21)))
        }
        uint256 value = odd ? ((first & 0x0f) << (8 * (length - 1))) | rest : rest;
        return (leaf, value == _nibbles(key.word, depth, pathNibbles), pathNibbles);
    }

    /// @dev Nibbles [from, from + count) of a left-aligned key word, as an integer.
    function _nibbles(uint256 word, uint256 from, uint256 count) private pure returns (uint256) {
        if (count == 0) return 0;
        return (word << (4 * from)) >> (4 * (64 - count));
    }

    function _nibble(Key memory key, uint256 index) private pure returns (uint256) {
        return (key.word >> (4 * (63 - index))) & 0x0f;
    }
}
