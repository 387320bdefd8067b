// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title EIP2537
/// @notice The EIP-2537 encoding of BLS12-381 points and the checks that need no precompile:
/// every Fp is 64 bytes big-endian, its top 16 bytes zero, its value below p. Used by `BLS`,
/// which turns these answers into its custom errors.
/// @dev A 64-byte field element is read as two words (hi, lo). It is in range iff
/// hi < P_HI, or hi == P_HI and lo < P_LO. Since P_HI < 2^128, that one comparison also
/// proves the top 16 bytes are zero.
library EIP2537 {
    /// @dev p = P_HI · 2^256 + P_LO, the BLS12-381 base field modulus.
    uint256 internal constant P_HI = 0x1a0111ea397fe69a4b1ba7b6434bacd7;
    uint256 internal constant P_LO = 0x64774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab;

    /// @notice Checks the two coordinates of a G1 encoding.
    /// @dev The caller guarantees `p` holds at least 128 bytes.
    /// @param p An encoded G1 point.
    /// @return inRange Whether both coordinates are below p with zero padding.
    /// @return allZero Whether both are zero (the encoding of infinity).
    function scanG1(bytes memory p) internal pure returns (bool inRange, bool allZero) {
        // Safe: reads only, four aligned words inside the 128 bytes the caller guarantees.
        assembly ("memory-safe") {
            let x0 := mload(add(p, 0x20))
            let x1 := mload(add(p, 0x40))
            let y0 := mload(add(p, 0x60))
            let y1 := mload(add(p, 0x80))
            inRange := and(
                or(lt(x0, P_HI), and(eq(x0, P_HI), lt(x1, P_LO))),
                or(lt(y0, P_HI), and(eq(y0, P_HI), lt(y1, P_LO)))
            )
            allZero := iszero(or(or(x0, x1), or(y0, y1)))
        }
    }

    /// @notice Checks the four Fp coordinates of a G2 encoding.
    /// @dev The caller guarantees `p` holds at least 256 bytes.
    /// @param p An encoded G2 point.
    /// @return inRange Whether all four are below p with zero padding.
    /// @return allZero Whether all four are zero (the encoding of infinity).
    function scanG2(bytes memory p) internal pure returns (bool inRange, bool allZero) {
        // Safe: reads only, eight aligned words inside the 256 bytes the caller guarantees; the
        // loop is bounded by that constant size.
        assembly ("memory-safe") {
            let any := 0
            inRange := 1
            for { let o := add(p, 0x20) } lt(o, add(p, 0x120)) { o := add(o, 0x40) } {
                let hi := mload(o)
                let lo := mload(add(o, 0x20))
                any := or(any, or(hi, lo))
                inRange := and(inRange, or(lt(hi, P_HI), and(eq(hi, P_HI), lt(lo, P_LO))))
            }
            allZero := iszero(any)
        }
    }

    /// @notice -P for a G1 point P = (x, y): (x, p - y), and infinity for infinity.
    /// @dev The caller guarantees `p` is 128 bytes with both coordinates in range (`scanG1`).
    /// @param p 128-byte EIP-2537 G1 point.
    /// @return neg The negated point, newly allocated.
    function negateG1(bytes memory p) internal pure returns (bytes memory neg) {
        uint256 xHi;
        uint256 xLo;
        uint256 yHi;
        uint256 yLo;
        // Safe: four aligned word reads inside the 128 bytes the caller guarantees.
        assembly ("memory-safe") {
            xHi := mload(add(p, 0x20))
            xLo := mload(add(p, 0x40))
            yHi := mload(add(p, 0x60))
            yLo := mload(add(p, 0x80))
        }
        if (yHi | yLo != 0) {
            // Safe: 0 < y < p, so p - y is in (0, p): the low word may wrap, and then exactly one
            // is borrowed from the high word, which stays non-negative.
            unchecked {
                uint256 borrow = yLo > P_LO ? 1 : 0;
                yLo = P_LO - yLo;
                yHi = P_HI - yHi - borrow;
            }
        }
        neg = abi.encodePacked(xHi, xLo, yHi, yLo);
    }
}
