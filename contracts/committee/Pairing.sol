// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Pairing
/// @notice The raw EIP-2537 calls the committee's batched checks need beyond the BLS library:
/// G1 addition in place, G2 addition and a multi-pairing check. Batching matters for gas: a
/// commit proof checks two QCs with one 3-pair pairing (135,500 gas) instead of two 2-pair ones.
library Pairing {
    uint256 private constant G1ADD = 0x0b;
    address private constant G2ADD = address(0x0d);
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
