// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Bitmap
/// @notice Signer bitmaps: bit i set means member i of the epoch's order signed. Constant-gas
/// bit counting keeps QC verification flat in the committee size.
library Bitmap {
    /// @dev Number of set bits (SWAR popcount, as Solady's LibBit). The byte sums fit a byte
    /// except for the all-ones word (256), which is special-cased.
    function count(uint256 x) internal pure returns (uint256 c) {
        // Safe: pure arithmetic on the stack; the multiplication overflow is intended (the byte
        // sums land in the top byte) and the only case where it loses a carry is handled.
        assembly ("memory-safe") {
            let max := not(0)
            let isMax := eq(x, max)
            x := sub(x, and(shr(1, x), div(max, 3)))
            x := add(and(x, div(max, 5)), and(shr(2, x), div(max, 5)))
            x := and(add(x, shr(4, x)), div(max, 17))
            c := or(shl(8, isMax), shr(248, mul(x, div(max, 255))))
        }
    }

    /// @dev Index of the lowest set bit of a non-zero x (binary search over the isolated bit).
    function lowest(uint256 x) internal pure returns (uint256 i) {
        uint256 bit;
        // Safe: two's-complement negation isolates the lowest set bit; wrapping is the point.
        unchecked {
            bit = x & (0 - x);
        }
        if (bit >> 128 != 0) (i, bit) = (i + 128, bit >> 128);
        if (bit >> 64 != 0) (i, bit) = (i + 64, bit >> 64);
        if (bit >> 32 != 0) (i, bit) = (i + 32, bit >> 32);
        if (bit >> 16 != 0) (i, bit) = (i + 16, bit >> 16);
        if (bit >> 8 != 0) (i, bit) = (i + 8, bit >> 8);
        if (bit >> 4 != 0) (i, bit) = (i + 4, bit >> 4);
        if (bit >> 2 != 0) (i, bit) = (i + 2, bit >> 2);
        if (bit >> 1 != 0) i += 1;
    }

    /// @dev Index of the highest set bit of a non-zero x.
    function highest(uint256 x) internal pure returns (uint256 i) {
        if (x >> 128 != 0) (i, x) = (i + 128, x >> 128);
        if (x >> 64 != 0) (i, x) = (i + 64, x >> 64);
        if (x >> 32 != 0) (i, x) = (i + 32, x >> 32);
        if (x >> 16 != 0) (i, x) = (i + 16, x >> 16);
        if (x >> 8 != 0) (i, x) = (i + 8, x >> 8);
        if (x >> 4 != 0) (i, x) = (i + 4, x >> 4);
        if (x >> 2 != 0) (i, x) = (i + 2, x >> 2);
        if (x >> 1 != 0) i += 1;
    }

    /// @dev All n low bits set (n <= 256).
    function full(uint256 n) internal pure returns (uint256) {
        return n == 256 ? type(uint256).max : (uint256(1) << n) - 1;
    }
}
