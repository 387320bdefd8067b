// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title RLPReader
/// @notice Reads Ethereum's Recursive Length Prefix encoding (Yellow Paper, appendix B) in memory,
/// for what the escape hatch needs: the nodes of a Merkle-Patricia proof and the account value at
/// its end. An item is a view (pointer, length) into a byte string the caller owns: nothing is
/// copied until a byte string's payload is asked for.
///
/// Every length is checked against the bytes that remain, so a malformed or truncated input
/// reverts with an error instead of reading past its end. The proof nodes this reads are
/// authenticated by their keccak hash before they are parsed (MerklePatriciaProof), so the
/// parser only has to be safe, not to judge canonical form; it refuses non-canonical short
/// forms anyway where that costs nothing.
library RLPReader {
    /// @dev A view of one encoded item: `ptr` points at its first (prefix) byte in memory.
    struct Item {
        uint256 ptr;
        uint256 length;
    }

    /// @notice An item claims more bytes than its input holds.
    error RLPTruncated(uint256 needed, uint256 available);
    /// @notice A top-level input is longer than the one item it starts with.
    error RLPTrailingBytes(uint256 itemLength, uint256 inputLength);
    /// @notice A list was expected and a byte string found (or the reverse).
    error RLPUnexpectedType(bool expectedList);
    /// @notice An integer with more than 32 bytes, or with a leading zero byte.
    error RLPInvalidInteger(uint256 length);
    /// @notice An item whose length prefix (first byte `prefix`) is not the shortest one, or
    /// whose long-form length has leading zeros.
    error RLPNonCanonical(uint256 prefix);

    /// @notice The single item `encoded` holds; refuses an input with anything after it.
    function toItem(bytes memory encoded) internal pure returns (Item memory item) {
        uint256 ptr;
        // Safe: reads the address of the first data byte after the length word of `encoded`.
        assembly ("memory-safe") {
            ptr := add(encoded, 0x20)
        }
        (, uint256 offset, uint256 payload) = _header(ptr, encoded.length);
        uint256 length = offset + payload;
        if (length != encoded.length) revert RLPTrailingBytes(length, encoded.length);
        return Item(ptr, length);
    }

    function isList(Item memory item) internal pure returns (bool list) {
        (list,,) = _header(item.ptr, item.length);
    }

    /// @notice The items of list `item`, in order; they must fill its payload exactly.
    function readList(Item memory item) internal pure returns (Item[] memory items) {
        (bool list, uint256 offset, uint256 payload) = _header(item.ptr, item.length);
        if (!list) revert RLPUnexpectedType(true);
        uint256 ptr = item.ptr + offset;
        uint256 end = ptr + payload;
        // One pass: each item's struct is written at the free memory pointer as it is decoded,
        // then the array of pointers to them after the last one. (Counting first and then
        // `new Item[](count)` decoded every header twice and allocated a zeroed struct per item.)
        uint256 structs;
        // Safe: reads the free memory pointer; the memory is claimed below, before any allocation.
        assembly ("memory-safe") {
            structs := mload(0x40)
        }
        uint256 count = 0;
        // Unchecked: each step adds an item's length, which _header checked fits before `end`.
        unchecked {
            while (ptr < end) {
                (, uint256 o, uint256 l) = _header(ptr, end - ptr);
                // Safe: writes item `count`'s struct at free memory, claimed when the loop ends
                // (nothing allocates in between: _header only reads).
                assembly ("memory-safe") {
                    let entry := add(structs, mul(count, 0x40))
                    mstore(entry, ptr)
                    mstore(add(entry, 0x20), add(o, l))
                }
                ptr += o + l;
                ++count;
            }
        }
        // Safe: lays the array (length, then one pointer per struct) right after the structs and
        // moves the free memory pointer past all of it.
        assembly ("memory-safe") {
            items := add(structs, mul(count, 0x40))
            mstore(items, count)
            for { let i := 0 } lt(i, count) { i := add(i, 1) } {
                mstore(add(items, mul(add(i, 1), 0x20)), add(structs, mul(i, 0x40)))
            }
            mstore(0x40, add(items, mul(add(count, 1), 0x20)))
        }
    }

    /// @notice The payload of byte string `item`, copied.
    function readBytes(Item memory item) internal pure returns (bytes memory out) {
        (bool list, uint256 offset, uint256 payload) = _header(item.ptr, item.length);
        if (list) revert RLPUnexpectedType(false);
        out = new bytes(payload);
        uint256 src = item.ptr + offset;
        // Safe: copies `payload` bytes, which _header checked lie inside the item, into `out`,
        // freshly allocated with exactly that length.
        assembly ("memory-safe") {
            mcopy(add(out, 0x20), src, payload)
        }
    }

    /// @notice Byte string `item` as a big-endian unsigned integer (at most 32 bytes, no leading zero).
    function readUint(Item memory item) internal pure returns (uint256 value) {
        (bool list, uint256 offset, uint256 payload) = _header(item.ptr, item.length);
        if (list) revert RLPUnexpectedType(false);
        if (payload > 32) revert RLPInvalidInteger(payload);
        if (payload == 0) return 0;
        uint256 src = item.ptr + offset;
        // Safe: reads one word at `src` (inside the item, whose memory is allocated) and keeps its
        // first `payload` bytes; bytes past the item's end are shifted out.
        assembly ("memory-safe") {
            value := shr(mul(8, sub(32, payload)), mload(src))
        }
        if (value >> (8 * (payload - 1)) == 0) revert RLPInvalidInteger(payload);
    }

    /// @notice Byte string `item` of exactly 32 bytes, as a word (a hash in a trie node or account).
    function readBytes32(Item memory item) internal pure returns (bytes32 value) {
        (bool list, uint256 offset, uint256 payload) = _header(item.ptr, item.length);
        if (list) revert RLPUnexpectedType(false);
        if (payload != 32) revert RLPTruncated(32, payload);
        uint256 src = item.ptr + offset;
        // Safe: the 32 bytes at `src` are inside the item (checked just above).
        assembly ("memory-safe") {
            value := mload(src)
        }
    }

    /// @notice The payload length of byte string `item` (0 for the empty string).
    function payloadLength(Item memory item) internal pure returns (uint256 payload) {
        (,, payload) = _header(item.ptr, item.length);
    }

    /// @dev The item starting at `ptr`, within `available` bytes: whether it is a list, where
    /// its payload starts (relative to `ptr`) and how long the payload is. Decoded in one
    /// assembly block: it runs for every item of every proof node, and the Solidity version cost
    /// three times as much.
    function _header(uint256 ptr, uint256 available) private pure returns (bool list, uint256 offset, uint256 payload) {
        uint256 needed; // bytes the item needs; more than `available` means truncated
        uint256 prefix;
        bool canonical = true;
        // Safe: only reads memory (the input's bytes from `ptr` on; a read past the input's end
        // sees other memory, and `needed` > `available` then refuses the item).
        assembly ("memory-safe") {
            switch available
            case 0 {
                needed := 1
            }
            default {
                prefix := byte(0, mload(ptr))
                let size := 0 // bytes of a long form's length
                switch lt(prefix, 0x80)
                case 1 {
                    payload := 1
                }
                default {
                    switch lt(prefix, 0xb8)
                    case 1 {
                        offset := 1
                        payload := sub(prefix, 0x80)
                        // A single byte below 0x80 is its own encoding.
                        if and(eq(payload, 1), gt(available, 1)) {
                            canonical := iszero(lt(byte(0, mload(add(ptr, 1))), 0x80))
                        }
                    }
                    default {
                        switch lt(prefix, 0xc0)
                        case 1 {
                            size := sub(prefix, 0xb7)
                        }
                        default {
                            list := 1
                            switch lt(prefix, 0xf8)
                            case 1 {
                                offset := 1
                                payload := sub(prefix, 0xc0)
                            }
                            default {
                                size := sub(prefix, 0xf7)
                            }
                        }
                    }
                }
                switch size
                case 0 {
                    needed := add(offset, payload)
                }
                default {
                    offset := add(1, size)
                    needed := offset
                    if iszero(gt(offset, available)) {
                        payload := shr(mul(8, sub(32, size)), mload(add(ptr, 1)))
                        // A long form must need it (>= 56) and have no leading zero byte.
                        canonical := iszero(or(lt(payload, 56), iszero(byte(0, mload(add(ptr, 1))))))
                        needed := add(offset, payload)
                    }
                }
            }
        }
        if (needed > available) revert RLPTruncated(needed, available);
        if (!canonical) revert RLPNonCanonical(prefix);
    }
}
