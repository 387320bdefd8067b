// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {EIP2537} from "./EIP2537.sol";
import {HashToG2} from "./HashToG2.sol";

/// @title BLS
/// @notice BLS12-381 "long" signatures (public keys in G1, signatures in G2, as Ethereum lays them
/// out) over the EIP-2537 precompiles, matching src/crypto in TypeScript (DESIGN §3).
/// @dev Points are EIP-2537 uncompressed bytes: every Fp is 64 bytes big-endian with the top 16
/// bytes zero; G1 = x || y (128 bytes), G2 = x.c0 || x.c1 || y.c0 || y.c1 (256 bytes); the point
/// at infinity is all zeros. Verification is e(pk, H(m)) · e(-G1, sig) == 1, one PAIRING_CHECK.
///
/// What the precompiles check, and so what this library must check itself:
///  - G1ADD/G2ADD: coordinates below p and the point on the curve. No subgroup check.
///  - G1MSM/G2MSM/PAIRING_CHECK: the above plus subgroup membership.
///  - a call to an absent precompile (a chain before Prague) "succeeds" with no output, so every
///    call also checks returndatasize. In `and(eq(returndatasize(), n), staticcall(...))` Yul
///    evaluates the arguments right to left: the call runs first.
///  - a failed precompile call consumes all gas forwarded to it. The cheap checks (length, range,
///    infinity) therefore run first in Solidity, so that an honest caller's mistake costs little.
/// Same-message aggregation is safe only for keys that proved possession (`verifyPossession`):
/// otherwise a rogue key pk' = x·G − Σ others forges the whole aggregate.
library BLS {
    /// @notice A point has the wrong byte length: G1 must be 128 bytes, G2 256.
    error InvalidPointLength(uint256 length);
    /// @notice A coordinate is not below the field modulus p, or its top 16 bytes are not zero.
    error FieldElementNotInRange();
    /// @notice A public key or signature is the point at infinity (it would verify anything).
    error PointAtInfinity();
    /// @notice A precompile refused a caller-supplied point: off the curve or outside the
    /// prime-order subgroup (or, from G1ADD, a coordinate not below p). A precompile that runs
    /// out of gas fails the same way, so a call starved of gas may also end here.
    error PointNotOnCurveOrSubgroup();
    /// @notice A precompile failed on inputs this library built itself: in practice, it ran out
    /// of gas.
    error PrecompileFailed(address precompile);
    /// @notice The hash-to-curve domain separation tag must be 1 to 255 bytes (RFC 9380 §5.3.3).
    error InvalidDomainSeparationTag(uint256 length);
    /// @notice `aggregateG1` needs at least one point.
    error EmptyAggregate();

    /// @notice DST of ordinary signatures (IETF BLS signature draft, proof-of-possession scheme).
    bytes internal constant SIGNATURE_DST = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";
    /// @notice DST of proofs of possession. Distinct from SIGNATURE_DST, so a proof can never be
    /// replayed as a signature on the same digest, nor the other way round.
    bytes internal constant POP_DST = "BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";

    /// @notice Byte length of an EIP-2537 G1 point (a public key).
    uint256 internal constant G1_LENGTH = 128;
    /// @notice Byte length of an EIP-2537 G2 point (a signature).
    uint256 internal constant G2_LENGTH = 256;

    /// @dev EIP-2537 precompile addresses (Prague), as numbers so assembly can use them.
    uint256 private constant G1ADD = 0x0b;
    uint256 private constant G1MSM = 0x0c;
    uint256 private constant G2MSM = 0x0e;
    uint256 private constant PAIRING_CHECK = 0x0f;

    /// @dev -G1 (the negated generator) in EIP-2537 words, precomputed for the pairing check.
    uint256 private constant NEG_G1_X_HI = 0x17f1d3a73197d7942695638c4fa9ac0f;
    uint256 private constant NEG_G1_X_LO = 0xc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb;
    uint256 private constant NEG_G1_Y_HI = 0x114d1d6855d545a8aa7d76c8cf2e21f2;
    uint256 private constant NEG_G1_Y_LO = 0x67816aef1db507c96655b9d5caac42364e6f38ba0ecb751bad54dcd6b939c2ca;

    /// @notice RFC 9380 hash_to_curve onto G2, suite BLS12381G2_XMD:SHA-256_SSWU_RO_.
    /// @param message Any bytes.
    /// @param dst Domain separation tag, 1 to 255 bytes.
    /// @return point The 256-byte EIP-2537 encoding of H(message).
    function hashToG2(bytes memory message, bytes memory dst) internal view returns (bytes memory point) {
        point = new bytes(G2_LENGTH);
        uint256 messagePtr;
        uint256 out;
        uint256 scratch;
        // Safe: reads pointers only. `scratch` is the free memory pointer taken after `point` was
        // allocated, so the hash's temporary memory cannot overlap any live Solidity value.
        assembly ("memory-safe") {
            messagePtr := add(message, 0x20)
            out := add(point, 0x20)
            scratch := mload(0x40)
        }
        _hashInto(messagePtr, message.length, dst, out, scratch);
    }

    /// @notice Verifies a signature over a 32-byte digest with SIGNATURE_DST.
    /// @dev Reverts on malformed input (length, range, infinity, or a point the pairing precompile
    /// refuses as off the curve or outside the subgroup); returns false for a well-formed
    /// signature that does not match.
    /// @param publicKey 128-byte EIP-2537 G1 point.
    /// @param digest The signed 32-byte digest (src/protocol/digests.ts).
    /// @param signature 256-byte EIP-2537 G2 point.
    /// @return True iff e(publicKey, H(digest)) == e(G1, signature).
    function verify(bytes memory publicKey, bytes32 digest, bytes memory signature) internal view returns (bool) {
        return _verify(publicKey, digest, signature, SIGNATURE_DST);
    }

    /// @notice Verifies a proof of possession: a signature with POP_DST over `popDigest`, which
    /// commits to the public key itself (src/protocol/digests.ts `popDigest`).
    /// @dev Same revert rules as `verify`. A key passes only if its owner knows its secret, which
    /// is what shuts out rogue keys before they can join an aggregate.
    /// @param publicKey 128-byte EIP-2537 G1 point.
    /// @param popDigest The 32-byte proof-of-possession digest.
    /// @param proof 256-byte EIP-2537 G2 point.
    /// @return True iff the proof is valid for this key and digest.
    function verifyPossession(bytes memory publicKey, bytes32 popDigest, bytes memory proof)
        internal
        view
        returns (bool)
    {
        return _verify(publicKey, popDigest, proof, POP_DST);
    }

    /// @notice Verifies an aggregate signature of several keys over one digest: the keys are added
    /// (`aggregateG1`) and checked with one pairing, as for a single signature.
    /// @dev Only for keys that proved possession (see the library comment).
    /// @param publicKeys 128-byte EIP-2537 G1 points, at least one.
    /// @param digest The signed 32-byte digest.
    /// @param signature The aggregate (sum) of the signatures, 256-byte EIP-2537 G2 point.
    /// @return True iff the aggregate signature matches the aggregate key.
    function verifyAggregate(bytes[] memory publicKeys, bytes32 digest, bytes memory signature)
        internal
        view
        returns (bool)
    {
        return _verify(aggregateG1(publicKeys), digest, signature, SIGNATURE_DST);
    }

    /// @notice Checks that `p` is a usable G1 point (a public key): 128 bytes, coordinates below
    /// p, not infinity, on the curve and in the prime-order subgroup. Reverts otherwise.
    /// @dev The curve and subgroup checks come from G1MSM with scalar 1 (12,000 gas): it refuses
    /// points off the curve or outside the subgroup, which G1ADD would not.
    /// @param p The point to check.
    function validateG1(bytes memory p) internal view {
        _checkPoint(p, G1_LENGTH);
        bool ok;
        // Safe: writes 160 bytes of temporary memory at the free memory pointer (never moved, so
        // no live value is overwritten) and reads nothing else; the precompile's output lands in
        // the same scratch. returndatasize guards against a chain without the precompile, where
        // the call would "succeed" with no output.
        assembly ("memory-safe") {
            let buf := mload(0x40)
            mcopy(buf, add(p, 0x20), 128)
            mstore(add(buf, 128), 1)
            ok := and(eq(returndatasize(), 128), staticcall(gas(), G1MSM, buf, 160, buf, 128))
        }
        if (!ok) revert PointNotOnCurveOrSubgroup();
    }

    /// @notice Checks that `p` is a usable G2 point (a signature): 256 bytes, coordinates below
    /// p, not infinity, on the curve and in the prime-order subgroup. Reverts otherwise.
    /// @dev Uses G2MSM with scalar 1 (22,500 gas) for the curve and subgroup checks.
    /// @param p The point to check.
    function validateG2(bytes memory p) internal view {
        _checkPoint(p, G2_LENGTH);
        bool ok;
        // Safe: as in validateG1, 288 bytes of temporary memory at the free memory pointer.
        assembly ("memory-safe") {
            let buf := mload(0x40)
            mcopy(buf, add(p, 0x20), 256)
            mstore(add(buf, 256), 1)
            ok := and(eq(returndatasize(), 256), staticcall(gas(), G2MSM, buf, 288, buf, 256))
        }
        if (!ok) revert PointNotOnCurveOrSubgroup();
    }

    /// @notice Adds two G1 points (for example the aggregate key and a negated non-signer key).
    /// @dev G1ADD checks that both inputs are on the curve with coordinates below p, but NOT that
    /// they are in the subgroup: add only keys that passed `validateG1`. Infinity (all zeros) is a
    /// valid input and output here; `verify` refuses it as a key.
    /// @param a 128-byte EIP-2537 G1 point.
    /// @param b 128-byte EIP-2537 G1 point.
    /// @return sum a + b, 128 bytes.
    function addG1(bytes memory a, bytes memory b) internal view returns (bytes memory sum) {
        if (a.length != G1_LENGTH) revert InvalidPointLength(a.length);
        if (b.length != G1_LENGTH) revert InvalidPointLength(b.length);
        sum = new bytes(G1_LENGTH);
        bool ok;
        // Safe: `sum` is allocated above; the 256-byte precompile input is temporary memory at the
        // (moved) free memory pointer; the output goes into `sum`'s 128 data bytes exactly.
        assembly ("memory-safe") {
            let buf := mload(0x40)
            mcopy(buf, add(a, 0x20), 128)
            mcopy(add(buf, 128), add(b, 0x20), 128)
            ok := and(eq(returndatasize(), 128), staticcall(gas(), G1ADD, buf, 256, add(sum, 0x20), 128))
        }
        if (!ok) revert PointNotOnCurveOrSubgroup();
    }

    /// @notice Adds any number of G1 points (public keys) with G1ADD, one call per point.
    /// @dev Same caveat as `addG1`: no subgroup check, so pass only validated keys. About 640
    /// gas per point (G1ADD is 375 of it; see BENCHMARKS.md).
    /// @param points 128-byte EIP-2537 G1 points, at least one.
    /// @return sum The sum of all points, 128 bytes (all zeros if they cancel out).
    function aggregateG1(bytes[] memory points) internal view returns (bytes memory sum) {
        uint256 n = points.length;
        if (n == 0) revert EmptyAggregate();
        sum = new bytes(G1_LENGTH);
        bool ok = true;
        uint256 badLength = G1_LENGTH;
        // Safe: each points[i] is read only after its length was checked to be 128, so every
        // mcopy reads inside it; on a wrong length the loop stops before touching that point.
        // `buf` (256 bytes: accumulator || next point) is temporary memory at the free memory
        // pointer, taken after `sum` was allocated; the result is copied into `sum`. The loop
        // counter is bounded by the array length and cannot overflow.
        assembly ("memory-safe") {
            let buf := mload(0x40)
            let data := add(points, 0x20)
            let p := mload(data)
            badLength := mload(p)
            if eq(badLength, 128) {
                mcopy(buf, add(p, 0x20), 128)
                for { let i := 1 } lt(i, n) { i := add(i, 1) } {
                    p := mload(add(data, shl(5, i)))
                    badLength := mload(p)
                    if iszero(eq(badLength, 128)) { break }
                    mcopy(add(buf, 128), add(p, 0x20), 128)
                    ok := and(ok, staticcall(gas(), G1ADD, buf, 256, buf, 128))
                }
                // One returndatasize check suffices: a missing precompile never returns output.
                if gt(n, 1) { ok := and(ok, eq(returndatasize(), 128)) }
                mcopy(add(sum, 0x20), buf, 128)
            }
        }
        if (badLength != G1_LENGTH) revert InvalidPointLength(badLength);
        if (!ok) revert PointNotOnCurveOrSubgroup();
    }

    /// @notice Negates a G1 point: (x, y) -> (x, p - y); infinity stays infinity.
    /// @param p 128-byte EIP-2537 G1 point with coordinates below p.
    /// @return neg -p, 128 bytes.
    function negateG1(bytes memory p) internal pure returns (bytes memory neg) {
        if (p.length != G1_LENGTH) revert InvalidPointLength(p.length);
        (bool inRange,) = EIP2537.scanG1(p);
        if (!inRange) revert FieldElementNotInRange();
        neg = EIP2537.negateG1(p);
    }

    /// @dev Signature/PoP verification under `dst`. The pairing input (768 bytes) is assembled in
    /// temporary memory at the free memory pointer: pk || H(digest) || -G1 || sig. Nothing in
    /// here allocates after that pointer is read, so the temporary memory stays ours.
    function _verify(bytes memory publicKey, bytes32 digest, bytes memory signature, bytes memory dst)
        private
        view
        returns (bool valid)
    {
        _checkPoint(publicKey, G1_LENGTH);
        _checkPoint(signature, G2_LENGTH);
        uint256 buf;
        // Safe: copies the checked 128-byte key and stores the digest into temporary memory past
        // the free memory pointer; the hash below writes H(digest) at buf+128 and uses memory
        // only from buf+800 on, past everything laid out here.
        assembly ("memory-safe") {
            buf := mload(0x40)
            mcopy(buf, add(publicKey, 0x20), 128)
            mstore(add(buf, 768), digest)
        }
        _hashInto(buf + 768, 32, dst, buf + 128, buf + 800);
        bool ok;
        // Safe: fills the rest of the 768-byte pairing input (the -G1 constant and the checked
        // 256-byte signature) and writes the 32-byte result into scratch slot 0x00. The
        // returndatasize check stops a chain without the precompile from reading stale memory
        // as "true".
        assembly ("memory-safe") {
            mstore(add(buf, 384), NEG_G1_X_HI)
            mstore(add(buf, 416), NEG_G1_X_LO)
            mstore(add(buf, 448), NEG_G1_Y_HI)
            mstore(add(buf, 480), NEG_G1_Y_LO)
            mcopy(add(buf, 512), add(signature, 0x20), 256)
            ok := and(eq(returndatasize(), 0x20), staticcall(gas(), PAIRING_CHECK, buf, 768, 0x00, 0x20))
            valid := eq(mload(0x00), 1)
        }
        // Our own inputs (H(digest), -G1) are in the subgroup, so a refusal means the key or the
        // signature is off the curve or outside the subgroup.
        if (!ok) revert PointNotOnCurveOrSubgroup();
    }

    /// @dev Hashes to G2 into memory `out` (see HashToG2.hashInto for the memory contract), after
    /// checking the tag length, and turns a precompile failure into `PrecompileFailed`.
    function _hashInto(uint256 message, uint256 messageLength, bytes memory dst, uint256 out, uint256 scratch)
        private
        view
    {
        if (dst.length == 0 || dst.length > 255) revert InvalidDomainSeparationTag(dst.length);
        address failed = HashToG2.hashInto(message, messageLength, dst, out, scratch);
        if (failed != address(0)) revert PrecompileFailed(failed);
    }

    /// @dev Cheap checks of a key or signature: length, every coordinate below p with zero
    /// padding, not infinity. `length` is G1_LENGTH or G2_LENGTH.
    function _checkPoint(bytes memory p, uint256 length) private pure {
        if (p.length != length) revert InvalidPointLength(p.length);
        (bool inRange, bool allZero) = length == G1_LENGTH ? EIP2537.scanG1(p) : EIP2537.scanG2(p);
        if (!inRange) revert FieldElementNotInRange();
        if (allZero) revert PointAtInfinity();
    }
}
