// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title HashToG2
/// @notice RFC 9380 hash_to_curve onto BLS12-381 G2, suite BLS12381G2_XMD:SHA-256_SSWU_RO_, over
/// precompiles only: SHA256 (0x02) for expand_message_xmd, MODEXP (0x05) for the mod-p
/// reductions of hash_to_field, MAP_FP2_TO_G2 (0x11, which also clears the cofactor) and
/// G2ADD (0x0d). Use it through `BLS.hashToG2`, which checks the tag and reports failures.
/// @dev The steps, for a 256-byte output (two Fp2 elements of two 64-byte chunks each):
///   msg_prime = Z_pad(64 zero bytes) || msg || I2OSP(256, 2) || I2OSP(0, 1) || DST_prime
///   DST_prime = DST || I2OSP(len(DST), 1)
///   b_0 = H(msg_prime);  b_1 = H(b_0 || 0x01 || DST_prime)
///   b_i = H((b_0 XOR b_{i-1}) || I2OSP(i, 1) || DST_prime) for i = 2..8
///   e_j = (b_{2j+1} || b_{2j+2}) mod p for j = 0..3;  u_0 = (e_0, e_1), u_1 = (e_2, e_3)
///   P = MAP_FP2_TO_G2(u_0) + MAP_FP2_TO_G2(u_1)
/// Adding the two cofactor-cleared maps equals clearing the cofactor of the sum (clear_cofactor
/// is a group homomorphism), which is what RFC 9380 specifies.
/// Each reduction is one MODEXP call, base^1 mod p with a 64-byte base and a 64-byte modulus
/// (p with 16 zero bytes on top), so its output is already an EIP-2537 field element, written
/// straight into the MAP_FP2_TO_G2 input: 200 gas each, no arithmetic in the EVM.
library HashToG2 {
    /// @dev p in the 64-byte layout, as two words.
    uint256 private constant P_HI = 0x1a0111ea397fe69a4b1ba7b6434bacd7;
    uint256 private constant P_LO = 0x64774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab;

    /// @notice Writes the 256-byte EIP-2537 encoding of H(message) at memory `out`.
    /// @dev Caller's contract: `dst` is 1 to 255 bytes long; [message, message + messageLength)
    /// and `out` (256 bytes) are readable/writable memory; `scratch` is the start of temporary
    /// memory that nothing live uses, not overlapping `out` or the message, with room for
    /// max(768, 324 + messageLength + dst.length) bytes. `out` may lie in temporary memory below
    /// `scratch`. The free memory pointer is neither read nor moved.
    /// @param message Memory address of the message bytes.
    /// @param messageLength Length of the message in bytes.
    /// @param dst Domain separation tag.
    /// @param out Memory address receiving the 256-byte point.
    /// @param scratch Memory address of free temporary memory.
    /// @return failed The zero address on success, else the precompile that failed.
    function hashInto(uint256 message, uint256 messageLength, bytes memory dst, uint256 out, uint256 scratch)
        internal
        view
        returns (address failed)
    {
        // Safe: by the caller's contract above, every write lands in `scratch`'s temporary memory
        // or the 256 bytes at `out`, and every read is of the message, `dst` or memory written
        // here; scratch slot 0x00..0x20 holds b_0. Layout from s = scratch:
        //   [s, s+256)        b_1..b_8 (uniform bytes); then e_0..e_3 overwrite them in place
        //   [s+256, ...)      msg_prime; later the MODEXP input; later the two mapped points
        // Every precompile call checks returndatasize too: on a chain without the precompile a
        // call to its empty address succeeds with no output, which must not pass for a result.
        // Loop counters run to small constants and cannot overflow.
        assembly ("memory-safe") {
            function hash(msgPtr, msgLen, dstPtr, dest, s) -> fail {
                let dstLen := mload(dstPtr)
                // expand_message_xmd: msg_prime at x.
                let x := add(s, 256)
                mstore(x, 0)
                mstore(add(x, 0x20), 0)
                mcopy(add(x, 64), msgPtr, msgLen)
                let t := add(add(x, 64), msgLen)
                // I2OSP(256, 2) || I2OSP(0, 1) = 0x01 0x00 0x00, then DST_prime.
                mstore(t, shl(232, 0x010000))
                let d := add(t, 3)
                mcopy(d, add(dstPtr, 0x20), dstLen)
                mstore8(add(d, dstLen), dstLen)
                let dpLen := add(dstLen, 1)
                if iszero(staticcall(gas(), 0x02, x, add(add(67, msgLen), dpLen), 0x00, 0x20)) {
                    fail := 0x02
                    leave
                }
                let b0 := mload(0x00)
                // b_i input (b_0 XOR b_{i-1}) || i || DST_prime is built in place just before
                // DST_prime (msg_prime is at least 67 bytes longer, so this stays inside it).
                let bi := sub(d, 33)
                let prev := 0
                for { let i := 1 } lt(i, 9) { i := add(i, 1) } {
                    mstore(bi, xor(b0, prev))
                    mstore8(sub(d, 1), i)
                    let o := add(s, shl(5, sub(i, 1)))
                    if iszero(staticcall(gas(), 0x02, bi, add(33, dpLen), o, 0x20)) {
                        fail := 0x02
                        leave
                    }
                    prev := mload(o)
                }
                if iszero(eq(returndatasize(), 0x20)) {
                    fail := 0x02
                    leave
                }
                // hash_to_field: MODEXP input Bsize(64) || Esize(1) || Msize(64) || B || 0x01 || p,
                // at m = s + 256 (msg_prime is no longer needed).
                let m := x
                mstore(m, 64)
                mstore(add(m, 0x20), 1)
                mstore(add(m, 0x40), 64)
                mstore8(add(m, 160), 1)
                mstore(add(m, 161), P_HI)
                mstore(add(m, 193), P_LO)
                for { let j := 0 } lt(j, 4) { j := add(j, 1) } {
                    let c := add(s, shl(6, j))
                    mstore(add(m, 96), mload(c))
                    mstore(add(m, 128), mload(add(c, 0x20)))
                    // The chunk was copied into the input, so the result may overwrite it.
                    if iszero(and(eq(returndatasize(), 64), staticcall(gas(), 0x05, m, 225, c, 64))) {
                        fail := 0x05
                        leave
                    }
                }
                // map_to_curve + clear_cofactor for u_0 and u_1, side by side as G2ADD's input.
                let g := x
                if iszero(and(eq(returndatasize(), 256), staticcall(gas(), 0x11, s, 128, g, 256))) {
                    fail := 0x11
                    leave
                }
                if iszero(and(eq(returndatasize(), 256), staticcall(gas(), 0x11, add(s, 128), 128, add(g, 256), 256))) {
                    fail := 0x11
                    leave
                }
                if iszero(and(eq(returndatasize(), 256), staticcall(gas(), 0x0d, g, 512, dest, 256))) {
                    fail := 0x0d
                    leave
                }
            }
            failed := hash(message, messageLength, dst, out, scratch)
        }
    }
}
