// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Pairing
/// @notice The raw EIP-2537 calls the committee's batched checks need beyond the BLS library:
/// G1 addition in place, G2 addition (plain, or of two checked signatures) and a multi-pairing check. Batching matters for gas: a
/// commit proof checks two QCs with one 3-pair pairing (135,500 gas) instead of two 2-pair ones.
library Pairing {
    uint256 private constant G1ADD = 0x0b;
    address private constant G2ADD = address(0x0d);
    uint256 private constant G2ADD_NUMBER = 0x0d;
    uint256 private constant G2MSM = 0x0e;
    uint256 private constant PAIRING_CHECK_NUMBER = 0x0f;
    address private constant PAIRING_CHECK = address(0x0f);

    /// @dev The negated G1 generator, EIP-2537 encoded: e(-G1, sig) moves the signature side of
    /// e(pk, H(m)) == e(G1, sig) into a product that must equal one.
    bytes internal constant NEG_G1 =
        hex"0000000000000000000000000000000017f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb00000000000000000000000000000000114d1d6855d545a8aa7d76c8cf2e21f267816aef1db507c96655b9d5caac42364e6f38ba0ecb751bad54dcd6b939c2ca";

    /// @dev The G1 generator: with a negated key, e(-pk, H(m)) · e(G1, sig) == 1 is the same check.
    bytes internal constant G1 =
        hex"0000000000000000000000000000000017f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb0000000000000000000000000000000008b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1";

    error InvalidG2Length(uint256 length);
    error PointOutOfBounds(uint256 offset, uint256 length, uint256 bufferLength);
    error G1AddFailed();
    error G2AddFailed();
    error PairingFailed();

    /// @dev buffer[0..128) += buffer[128..256), both EIP-2537 G1 points.
    function addG1InPlace(uint256 buffer) internal view {
        bool ok;
        // Safe: the caller owns the 256 bytes at `buffer`; the precompile reads them and writes
        // 128 bytes back over the first point. The returndatasize check refuses a chain without
        // the precompile, where the call "succeeds" with no output (arguments run right to left).
        assembly ("memory-safe") {
            ok := and(eq(returndatasize(), 128), staticcall(gas(), G1ADD, buffer, 256, buffer, 128))
        }
        if (!ok) revert G1AddFailed();
    }

    /// @dev a + b in G2. The precompile checks the points are on the curve (not the subgroup:
    /// callers feed the sum to the pairing, which does check it).
    function addG2(bytes memory a, bytes memory b) internal view returns (bytes memory sum) {
        if (a.length != 256) revert InvalidG2Length(a.length);
        if (b.length != 256) revert InvalidG2Length(b.length);
        (bool ok, bytes memory out) = G2ADD.staticcall(bytes.concat(a, b));
        if (!ok || out.length != 256) revert G2AddFailed();
        return out;
    }

    /// @dev a + b for two caller-supplied signatures, each checked (DESIGN §3) and the sum
    /// returned for a pairing. Returns `bad` = 0 (a refused), 1 (b refused) or 2 (both fine).
    /// Checks, cheapest first: infinity (all zeros, which the precompiles accept) by reading
    /// words; a on the curve and in the subgroup with G2MSM(a, 1) (22,500 gas); b on the curve
    /// with G2ADD (600). b's subgroup membership then follows from the pairing the caller runs
    /// on the sum: the pairing refuses a sum outside the subgroup, and with a inside it, the sum
    /// is inside iff b is. So the caller must treat a pairing failure as "b refused". This is
    /// the cheapest complete check: G2MSM on both (45,000) or pairing each signature separately
    /// (a fourth pair, 32,600) cost more.
    function addCheckedG2(bytes calldata a, bytes calldata b) internal view returns (bytes memory sum, uint256 bad) {
        if (a.length != 256) revert InvalidG2Length(a.length);
        if (b.length != 256) revert InvalidG2Length(b.length);
        sum = new bytes(256);
        // Safe: `buf` (800 bytes) is temporary memory at the free memory pointer, past `sum`,
        // which was allocated above; nothing allocates while it is in use. Layout: a || b (the
        // G2ADD input), then a || 1 (the G2MSM input). The two calldata copies read exactly the
        // 256 bytes each length check allowed. Both precompile calls check returndatasize, so a
        // chain without them fails instead of reading stale memory.
        assembly ("memory-safe") {
            let buf := mload(0x40)
            calldatacopy(buf, a.offset, 256)
            calldatacopy(add(buf, 256), b.offset, 256)
            function isZero(p) -> z {
                z := iszero(or(or(or(mload(p), mload(add(p, 0x20))), or(mload(add(p, 0x40)), mload(add(p, 0x60)))),
                    or(or(mload(add(p, 0x80)), mload(add(p, 0xa0))), or(mload(add(p, 0xc0)), mload(add(p, 0xe0))))))
            }
            bad := 2
            if isZero(add(buf, 256)) { bad := 1 }
            if isZero(buf) { bad := 0 }
            if eq(bad, 2) {
                // G2MSM(a, 1) = a, or a failure if a is off the curve or outside the subgroup;
                // its output (a again) lands in `sum`, which G2ADD then overwrites.
                let msm := add(buf, 512)
                mcopy(msm, buf, 256)
                mstore(add(msm, 256), 1)
                let ok := and(eq(returndatasize(), 256), staticcall(gas(), G2MSM, msm, 288, add(sum, 0x20), 256))
                switch ok
                case 0 { bad := 0 }
                default {
                    ok := and(eq(returndatasize(), 256), staticcall(gas(), G2ADD_NUMBER, buf, 512, add(sum, 0x20), 256))
                    if iszero(ok) { bad := 1 }
                }
            }
        }
    }

    /// @dev Like `check`, but reports a precompile refusal as `ok` = false instead of reverting.
    function tryCheck(bytes memory input) internal view returns (bool ok, bool valid) {
        // Safe: reads `input`'s body and writes the 32-byte answer into scratch slot 0x00.
        assembly ("memory-safe") {
            ok := and(eq(returndatasize(), 0x20), staticcall(gas(), PAIRING_CHECK_NUMBER, add(input, 0x20), mload(input), 0x00, 0x20))
            valid := and(ok, eq(mload(0x00), 1))
        }
    }

    /// @dev Whether the product of pairings e(g1_i, g2_i) over `input` (k * 384 bytes) is one.
    /// The precompile refuses points outside the subgroups, so a false return means "does not
    /// verify" and a malformed point reverts.
    function check(bytes memory input) internal view returns (bool) {
        (bool ok, bytes memory out) = PAIRING_CHECK.staticcall(input);
        if (!ok || out.length != 32) revert PairingFailed();
        return abi.decode(out, (uint256)) == 1;
    }

    /// @dev Copies `point` (its whole length) into `input` at byte `offset`.
    function write(bytes memory point, bytes memory input, uint256 offset) internal pure {
        if (offset + point.length > input.length) revert PointOutOfBounds(offset, point.length, input.length);
        // Safe: the bound above keeps the copy inside input's body.
        assembly ("memory-safe") {
            mcopy(add(add(input, 0x20), offset), add(point, 0x20), mload(point))
        }
    }

    /// @dev The memory address of input's body at `offset`, for precompile and EXTCODECOPY targets.
    function pointer(bytes memory input, uint256 offset) internal pure returns (uint256 ptr) {
        // Safe: computes an address only; callers write at most input.length - offset bytes there.
        assembly ("memory-safe") {
            ptr := add(add(input, 0x20), offset)
        }
    }
}
