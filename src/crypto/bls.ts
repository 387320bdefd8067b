/**
 * BLS signatures on BLS12-381, "long signatures": public keys in G1 (48 bytes compressed),
 * signatures in G2 (96 bytes compressed), as Ethereum lays them out.
 *
 * Messages are 32-byte digests (see src/protocol/digests.ts) hashed to G2 with RFC 9380 suite
 * BLS12381G2_XMD:SHA-256_SSWU_RO_ under the IETF proof-of-possession scheme's tags:
 *   signatures      BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_
 *   possession      BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_
 * Same-message aggregation (one pairing check for a whole quorum) is safe only because every key
 * proves possession of its secret before it joins a committee: without that, a "rogue" key
 * pk' = x·G - sum(others) would let one member forge the whole quorum's signature.
 *
 * Verification is e(pk, H(m)) == e(G1, sig), checked as e(pk, H(m)) · e(-G1, sig) == 1.
 *
 * Two backends compute it (src/crypto/blst.ts): blst's native binding for signing, verifying,
 * aggregating and decoding when it loads, @noble/curves (the reference) for the rest and
 * everywhere the binding is missing. Both give the same bytes and answers (tested).
 */
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { randomBytes } from "node:crypto";
import { eip2537FromUncompressedG1, eip2537FromUncompressedG2, native, refusalOf, type NativePublicKey, type NativeSecretKey, type NativeSignature } from "./blst.ts";
import { bytesToHex, concatBytes, expectLength, toBytes, type Hex } from "./bytes.ts";
import { CryptoError } from "./errors.ts";
import {
  decodeG1Compressed,
  decodeG1Eip2537,
  decodeG2Compressed,
  encodeG1Compressed,
  encodeG1Eip2537,
  encodeG2Compressed,
  encodeG2Eip2537,
  G1_COMPRESSED_LENGTH,
  G1Point,
  G2_COMPRESSED_LENGTH,
  readCompressedX,
  type G1,
  type G2,
} from "./points.ts";

export const SIGNATURE_DST = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";
export const POP_DST = "BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";
export const DIGEST_LENGTH = 32;

const scheme = bls12_381.longSignatures;
const SCALAR_ORDER = G1Point.Fn.ORDER;
const FLAG_INFINITY = 0x40;

/*
 * Keys and signatures carry up to three forms of the same point, each made when first needed:
 * the compressed bytes (the wire form, and what equality compares), the noble point (the
 * reference arithmetic), and the blst object (src/crypto/blst.ts: signing, verification and
 * aggregation when the binding is there). Whichever form a value is created from was validated
 * (or computed from validated values), so the others are derived without checking again,
 * except a blst object made from a noble point, which blst checks again (cheaply).
 */

/** A committee member's public key: a validated G1 point, never infinity, always in the subgroup. */
export class PublicKey {
  #point: G1 | undefined;
  #compressed: Uint8Array | undefined;
  #native: NativePublicKey | undefined;

  private constructor(form: { point?: G1; compressed?: Uint8Array; native?: NativePublicKey }) {
    this.#point = form.point;
    this.#compressed = form.compressed;
    this.#native = form.native;
  }

  /** @internal the curve point (noble); only src/crypto and tests read it. */
  get point(): G1 {
    this.#point ??= decodeG1Compressed(this.toBytes(), "public key");
    return this.#point;
  }

  /** @internal the blst form; only when the binding is loaded. */
  get native(): NativePublicKey {
    this.#native ??= native!.PublicKey.fromBytes(this.toBytes(), this.#point !== undefined);
    return this.#native;
  }

  /** @internal wraps a point already known to be valid. */
  static fromPoint(point: G1): PublicKey {
    if (point.is0()) throw new CryptoError("POINT_AT_INFINITY", "public key is the point at infinity");
    return new PublicKey({ point });
  }

  /** @internal wraps a blst key computed from valid ones; refuses the point at infinity. */
  static fromNative(key: NativePublicKey): PublicKey {
    const compressed = key.toBytes(true);
    if ((compressed[0]! & FLAG_INFINITY) !== 0) throw new CryptoError("POINT_AT_INFINITY", "public key is the point at infinity");
    return new PublicKey({ compressed, native: key });
  }

  /** Decodes a 48-byte compressed key (bytes or hex), refusing anything not a valid key. */
  static fromBytes(input: Uint8Array | string): PublicKey {
    const bytes = toBytes(input, "public key");
    if (native !== undefined) {
      readCompressedX(bytes, G1_COMPRESSED_LENGTH, "public key");
      try {
        // Curve and subgroup checks in blst; its refusal is final, never decoded again in noble (blst.ts).
        return new PublicKey({ compressed: bytes.slice(), native: native.PublicKey.fromBytes(bytes, true) });
      } catch (e) {
        throw refusalOf(e, "public key");
      }
    }
    return new PublicKey({ point: decodeG1Compressed(bytes, "public key") });
  }

  /**
   * Decodes the 128-byte EIP-2537 encoding L1 contracts store (a key read back from L1), refusing
   * anything not a valid key: wrong length, infinity, off the curve, outside the subgroup.
   */
  static fromEip2537(input: Uint8Array | string): PublicKey {
    return new PublicKey({ point: decodeG1Eip2537(toBytes(input, "public key"), "public key") });
  }

  toBytes(): Uint8Array {
    this.#compressed ??= this.#native !== undefined ? this.#native.toBytes(true) : encodeG1Compressed(this.#point!);
    return this.#compressed;
  }

  toHex(): Hex {
    return bytesToHex(this.toBytes());
  }

  /** The 128-byte EIP-2537 encoding that L1 contracts take. */
  toEip2537(): Hex {
    if (this.#point === undefined && native !== undefined) return bytesToHex(eip2537FromUncompressedG1(this.native.toBytes(false)));
    return bytesToHex(encodeG1Eip2537(this.point));
  }

  equals(other: PublicKey): boolean {
    return Buffer.compare(this.toBytes(), other.toBytes()) === 0;
  }
}

/** A signature or an aggregate of signatures: a validated G2 point. */
export class Signature {
  #point: G2 | undefined;
  #compressed: Uint8Array | undefined;
  #native: NativeSignature | undefined;

  private constructor(form: { point?: G2; compressed?: Uint8Array; native?: NativeSignature }) {
    this.#point = form.point;
    this.#compressed = form.compressed;
    this.#native = form.native;
  }

  /** @internal the curve point (noble); only src/crypto and tests read it. */
  get point(): G2 {
    this.#point ??= decodeG2Compressed(this.toBytes(), "signature");
    return this.#point;
  }

  /** @internal the blst form; only when the binding is loaded. */
  get native(): NativeSignature {
    this.#native ??= native!.Signature.fromBytes(this.toBytes(), this.#point !== undefined, true);
    return this.#native;
  }

  /** @internal */
  static fromPoint(point: G2): Signature {
    if (point.is0()) throw new CryptoError("POINT_AT_INFINITY", "signature is the point at infinity");
    return new Signature({ point });
  }

  /** @internal wraps a blst signature made by signing or aggregating; refuses the point at infinity. */
  static fromNative(signature: NativeSignature): Signature {
    const compressed = signature.toBytes(true);
    if ((compressed[0]! & FLAG_INFINITY) !== 0) throw new CryptoError("POINT_AT_INFINITY", "signature is the point at infinity");
    return new Signature({ compressed, native: signature });
  }

  /** Decodes a 96-byte compressed signature (bytes or hex), refusing anything not a valid point. */
  static fromBytes(input: Uint8Array | string): Signature {
    const bytes = toBytes(input, "signature");
    if (native !== undefined) {
      readCompressedX(bytes, G2_COMPRESSED_LENGTH, "signature");
      try {
        // Curve and subgroup checks in blst; its refusal is final, never decoded again in noble (blst.ts).
        return new Signature({ compressed: bytes.slice(), native: native.Signature.fromBytes(bytes, true, true) });
      } catch (e) {
        throw refusalOf(e, "signature");
      }
    }
    return new Signature({ point: decodeG2Compressed(bytes, "signature") });
  }

  toBytes(): Uint8Array {
    this.#compressed ??= this.#native !== undefined ? this.#native.toBytes(true) : encodeG2Compressed(this.#point!);
    return this.#compressed;
  }

  toHex(): Hex {
    return bytesToHex(this.toBytes());
  }

  /** The 256-byte EIP-2537 encoding that L1 contracts take. */
  toEip2537(): Hex {
    if (this.#point === undefined && native !== undefined) return bytesToHex(eip2537FromUncompressedG2(this.native.toBytes(false)));
    return bytesToHex(encodeG2Eip2537(this.point));
  }

  equals(other: Signature): boolean {
    return Buffer.compare(this.toBytes(), other.toBytes()) === 0;
  }
}

/** A secret key: a scalar in [1, r). Holds its public key, computed once. */
export class SecretKey {
  readonly #bytes: Uint8Array;
  readonly #native: NativeSecretKey | undefined;
  readonly publicKey: PublicKey;

  private constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    if (native !== undefined) {
      this.#native = native.SecretKey.fromBytes(bytes);
      this.publicKey = PublicKey.fromNative(this.#native.toPublicKey());
    } else {
      this.publicKey = PublicKey.fromPoint(scheme.getPublicKey(bytes));
    }
  }

  /** A fresh key from the operating system's randomness. */
  static random(): SecretKey {
    return new SecretKey(bls12_381.utils.randomSecretKey(randomBytes(48)));
  }

  /**
   * A deterministic key from a seed (for devnets and tests only: anyone who knows the seed holds
   * the key). The seed is stretched with SHA-512 under a fixed label so that short seeds work.
   */
  static fromSeed(seed: string | Uint8Array): SecretKey {
    const seedBytes = typeof seed === "string" ? new TextEncoder().encode(seed) : seed;
    const label = new TextEncoder().encode("hotstuff-rollup/bls-keygen/v1:");
    const ikm = sha512(concatBytes(label, seedBytes)).subarray(0, 48);
    return new SecretKey(bls12_381.utils.randomSecretKey(ikm));
  }

  /** Loads a 32-byte big-endian scalar (bytes or hex); refuses 0 and values not below r. */
  static fromBytes(input: Uint8Array | string): SecretKey {
    const bytes = toBytes(input, "secret key");
    expectLength(bytes, 32, "secret key");
    let value = 0n;
    for (const b of bytes) value = (value << 8n) | BigInt(b);
    if (value === 0n || value >= SCALAR_ORDER) {
      throw new CryptoError("INVALID_SECRET_KEY", "secret key must be a scalar in [1, r)");
    }
    return new SecretKey(bytes.slice());
  }

  toBytes(): Uint8Array {
    return this.#bytes.slice();
  }

  toHex(): Hex {
    return bytesToHex(this.#bytes);
  }

  /** Signs a 32-byte digest with the signature DST. */
  sign(digest: Uint8Array | string): Signature {
    const message = checkDigest(digest);
    // blst hashes with SIGNATURE_DST (see blst.ts).
    if (this.#native !== undefined) return Signature.fromNative(this.#native.sign(message));
    return Signature.fromPoint(scheme.sign(scheme.hash(message, SIGNATURE_DST), this.#bytes));
  }

  /**
   * Proves possession of this key: a signature, under the PoP DST, over a 32-byte digest that
   * commits to the public key (src/protocol/digests.ts `popDigest`). Always noble: the binding
   * signs under the signature DST only.
   */
  signPossession(popDigest: Uint8Array | string): Signature {
    return Signature.fromPoint(scheme.sign(hashDigest(popDigest, POP_DST), this.#bytes));
  }
}

/** @internal the digest as bytes; refuses anything but 32 bytes. */
export function checkDigest(digest: Uint8Array | string): Uint8Array {
  const bytes = toBytes(digest, "digest");
  if (bytes.length !== DIGEST_LENGTH) {
    throw new CryptoError("INVALID_DIGEST", `digest must be ${DIGEST_LENGTH} bytes`, `got ${bytes.length}`);
  }
  return bytes;
}

/** @internal H(digest) in G2 under `dst` (noble). */
export function hashDigest(digest: Uint8Array | string, dst: string): G2 {
  return scheme.hash(checkDigest(digest), dst);
}

/** RFC 9380 hash_to_curve onto G2 for any message and tag (the digest rules do not apply). */
export function hashToG2(message: Uint8Array, dst: string | Uint8Array): G2 {
  return bls12_381.G2.hashToCurve(message, { DST: dst }) as G2;
}

/** `hashToG2` in the 256-byte EIP-2537 layout, for comparing with the contract's hash. */
export function hashToG2Eip2537(message: Uint8Array, dst: string | Uint8Array): Hex {
  return bytesToHex(encodeG2Eip2537(hashToG2(message, dst)));
}

/** @internal e(pk, H(m)) == e(G1, sig), as a single multi-pairing (noble). */
export function pairingHolds(publicKey: G1, message: G2, signature: G2): boolean {
  const product = bls12_381.pairingBatch([
    { g1: publicKey, g2: message },
    { g1: G1Point.BASE.negate(), g2: signature },
  ]);
  return bls12_381.fields.Fp12.eql(product, bls12_381.fields.Fp12.ONE);
}

/** Verifies one signature over a 32-byte digest. Returns false for any mismatch. */
export function verify(publicKey: PublicKey, digest: Uint8Array | string, signature: Signature): boolean {
  // Both points were validated when they were made (subgroup included), so blst skips it.
  if (native !== undefined) return native.verify(checkDigest(digest), publicKey.native, signature.native, false, false);
  return pairingHolds(publicKey.point, hashDigest(digest, SIGNATURE_DST), signature.point);
}

/** Verifies a proof of possession made by `SecretKey.signPossession`. */
export function verifyPossession(publicKey: PublicKey, popDigest: Uint8Array | string, proof: Signature): boolean {
  return pairingHolds(publicKey.point, hashDigest(popDigest, POP_DST), proof.point);
}
