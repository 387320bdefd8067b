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
    /// @notice A length prefix that is not the shortest one (or has leading zeros).
    error RLPNonCanonical(uint256 ptr);

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
        uint256 count = 0;
        uint256 end = item.ptr + offset + payload;
        for (uint256 p = item.ptr + offset; p < end; ++count) {
            (, uint256 o, uint256 l) = _header(p, end - p);
            p += o + l;
        }
        items = new Item[](count);
        uint256 ptr = item.ptr + offset;
        for (uint256 i = 0; i < count; ++i) {
            (, uint256 o, uint256 l) = _header(ptr, end - ptr);
            items[i] = Item(ptr, o + l);
            ptr += o + l;
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
    /// its payload starts (relative to `ptr`) and how long the payload is.
    function _header(uint256 ptr, uint256 available) private pure returns (bool list, uint256 offset, uint256 payload) {
        if (available == 0) revert RLPTruncated(1, 0);
        uint256 prefix;
        // Safe: reads the byte at `ptr`, which the caller keeps inside allocated memory
        // (`available` > 0 bytes remain from it).
        assembly ("memory-safe") {
            prefix := byte(0, mload(ptr))
        }
        if (prefix < 0x80) return (false, 0, 1);
        if (prefix < 0xb8) {
            (offset, payload) = (1, prefix - 0x80);
            if (payload == 1 && available > 1 && _byteAt(ptr + 1) < 0x80) revert RLPNonCanonical(ptr);
        } else if (prefix < 0xc0) {
            (offset, payload) = _longLength(ptr, prefix - 0xb7, available);
        } else if (prefix < 0xf8) {
            (list, offset, payload) = (true, 1, prefix - 0xc0);
        } else {
            list = true;
            (offset, payload) = _longLength(ptr, prefix - 0xf7, available);
        }
        if (offset + payload > available) revert RLPTruncated(offset + payload, available);
    }

    /// @dev A long form: `size` bytes of big-endian length follow the prefix.
    function _longLength(uint256 ptr, uint256 size, uint256 available) private pure returns (uint256 offset, uint256 payload) {
        if (1 + size > available) revert RLPTruncated(1 + size, available);
        // Safe: reads the word after the prefix byte; only its first `size` (<= 8) bytes, inside
        // the input (checked above), are kept.
        assembly ("memory-safe") {
            payload := shr(mul(8, sub(32, size)), mload(add(ptr, 1)))
        }
        // A long form must need it (>= 56) and have no leading zero byte.
        if (payload < 56 || _byteAt(ptr + 1) == 0) revert RLPNonCanonical(ptr);
        offset = 1 + size;
    }

    function _byteAt(uint256 ptr) private pure returns (uint256 b) {
        // Safe: a one-byte read at an address the caller checked lies inside the input.
        assembly ("memory-safe") {
            b := byte(0, mload(ptr))
        }
    }
}
