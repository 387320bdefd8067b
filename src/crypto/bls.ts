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
 */
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { sha512 } from "@noble/hashes/sha2.js";
import { randomBytes } from "node:crypto";
import { bytesToHex, concatBytes, expectLength, toBytes, type Hex } from "./bytes.ts";
import { CryptoError } from "./errors.ts";
import {
  decodeG1Compressed,
  decodeG2Compressed,
  encodeG1Compressed,
  encodeG1Eip2537,
  encodeG2Compressed,
  encodeG2Eip2537,
  G1Point,
  G2Point,
  type G1,
  type G2,
} from "./points.ts";

export const SIGNATURE_DST = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";
export const POP_DST = "BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";
export const DIGEST_LENGTH = 32;

const scheme = bls12_381.longSignatures;
const SCALAR_ORDER = G1Point.Fn.ORDER;

/** A committee member's public key: a validated G1 point, never infinity, always in the subgroup. */
export class PublicKey {
  /** @internal the curve point; only src/crypto reads it. */
  readonly point: G1;
  #compressed: Uint8Array | undefined;

  private constructor(point: G1) {
    this.point = point;
  }

  /** @internal wraps a point already known to be valid. */
  static fromPoint(point: G1): PublicKey {
    if (point.is0()) throw new CryptoError("POINT_AT_INFINITY", "public key is the point at infinity");
    return new PublicKey(point);
  }

  /** Decodes a 48-byte compressed key (bytes or hex), refusing anything not a valid key. */
  static fromBytes(input: Uint8Array | string): PublicKey {
    return new PublicKey(decodeG1Compressed(toBytes(input, "public key"), "public key"));
  }

  toBytes(): Uint8Array {
    this.#compressed ??= encodeG1Compressed(this.point);
    return this.#compressed;
  }

  toHex(): Hex {
    return bytesToHex(this.toBytes());
  }

  /** The 128-byte EIP-2537 encoding that L1 contracts take. */
  toEip2537(): Hex {
    return bytesToHex(encodeG1Eip2537(this.point));
  }

  equals(other: PublicKey): boolean {
    return this.point.equals(other.point);
  }
}

/** A signature or an aggregate of signatures: a validated G2 point. */
export class Signature {
  /** @internal the curve point; only src/crypto reads it. */
  readonly point: G2;
  #compressed: Uint8Array | undefined;

  private constructor(point: G2) {
    this.point = point;
  }

  /** @internal */
  static fromPoint(point: G2): Signature {
    if (point.is0()) throw new CryptoError("POINT_AT_INFINITY", "signature is the point at infinity");
    return new Signature(point);
  }

  /** Decodes a 96-byte compressed signature (bytes or hex), refusing anything not a valid point. */
  static fromBytes(input: Uint8Array | string): Signature {
    return new Signature(decodeG2Compressed(toBytes(input, "signature"), "signature"));
  }

  toBytes(): Uint8Array {
    this.#compressed ??= encodeG2Compressed(this.point);
    return this.#compressed;
  }

  toHex(): Hex {
    return bytesToHex(this.toBytes());
  }

  /** The 256-byte EIP-2537 encoding that L1 contracts take. */
  toEip2537(): Hex {
    return bytesToHex(encodeG2Eip2537(this.point));
  }

  equals(other: Signature): boolean {
    return this.point.equals(other.point);
  }
}

/** A secret key: a scalar in [1, r). Holds its public key, computed once. */
export class SecretKey {
  readonly #bytes: Uint8Array;
  readonly publicKey: PublicKey;

  private constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.publicKey = PublicKey.fromPoint(scheme.getPublicKey(bytes));
  }

  /** A fresh key from the operating system's randomness. */
  static random(): SecretKey {
    return new SecretKey(scheme.keygen(randomBytes(48)).secretKey);
  }

  /**
   * A deterministic key from a seed (for devnets and tests only: anyone who knows the seed holds
   * the key). The seed is stretched with SHA-512 under a fixed label so that short seeds work.
   */
  static fromSeed(seed: string | Uint8Array): SecretKey {
    const seedBytes = typeof seed === "string" ? new TextEncoder().encode(seed) : seed;
    const label = new TextEncoder().encode("hotstuff-rollup/bls-keygen/v1:");
    const ikm = sha512(concatBytes(label, seedBytes)).subarray(0, 48);
    return new SecretKey(scheme.keygen(ikm).secretKey);
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
    return Signature.fromPoint(scheme.sign(hashDigest(digest, SIGNATURE_DST), this.#bytes));
  }

  /**
   * Proves possession of this key: a signature, under the PoP DST, over a 32-byte digest that
   * commits to the public key (src/protocol/digests.ts `popDigest`).
   */
  signPossession(popDigest: Uint8Array | string): Signature {
    return Signature.fromPoint(scheme.sign(hashDigest(popDigest, POP_DST), this.#bytes));
  }
}

function checkDigest(digest: Uint8Array | string): Uint8Array {
  const bytes = toBytes(digest, "digest");
  if (bytes.length !== DIGEST_LENGTH) {
    throw new CryptoError("INVALID_DIGEST", `digest must be ${DIGEST_LENGTH} bytes`, `got ${bytes.length}`);
  }
  return bytes;
}

function hashDigest(digest: Uint8Array | string, dst: string): G2 {
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

/** e(pk, H(m)) == e(G1, sig), as a single multi-pairing. */
function pairingHolds(publicKey: G1, message: G2, signature: G2): boolean {
  const product = bls12_381.pairingBatch([
    { g1: publicKey, g2: message },
    { g1: G1Point.BASE.negate(), g2: signature },
  ]);
  return bls12_381.fields.Fp12.eql(product, bls12_381.fields.Fp12.ONE);
}

/** Verifies one signature over a 32-byte digest. Returns false for any mismatch. */
export function verify(publicKey: PublicKey, digest: Uint8Array | string, signature: Signature): boolean {
  return pairingHolds(publicKey.point, hashDigest(digest, SIGNATURE_DST), signature.point);
}

/** Verifies a proof of possession made by `SecretKey.signPossession`. */
export function verifyPossession(publicKey: PublicKey, popDigest: Uint8Array | string, proof: Signature): boolean {
  return pairingHolds(publicKey.point, hashDigest(popDigest, POP_DST), proof.point);
}

/** Adds signatures. Callers aggregate only signatures of keys that proved possession. */
export function aggregateSignatures(signatures: readonly Signature[]): Signature {
  if (signatures.length === 0) throw new CryptoError("QUORUM_NOT_REACHED", "cannot aggregate zero signatures");
  let sum = G2Point.ZERO;
  for (const s of signatures) sum = sum.add(s.point);
  return Signature.fromPoint(sum);
}

/** Adds public keys. Only keys that proved possession may be aggregated (rogue-key defence). */
export function aggregatePublicKeys(keys: readonly PublicKey[]): PublicKey {
  if (keys.length === 0) throw new CryptoError("QUORUM_NOT_REACHED", "cannot aggregate zero public keys");
  let sum = G1Point.ZERO;
  for (const k of keys) sum = sum.add(k.point);
  return PublicKey.fromPoint(sum);
}

/** Verifies an aggregate signature of several keys over one digest: one pairing check. */
export function verifyAggregate(keys: readonly PublicKey[], digest: Uint8Array | string, signature: Signature): boolean {
  return verify(aggregatePublicKeys(keys), digest, signature);
}

/**
 * Verifies an aggregate signature over distinct digests (a timeout certificate, where each
 * member signs its own high-QC view). Groups equal digests so each distinct message costs one
 * Miller loop, then does one final exponentiation.
 */
export function verifyAggregateMulti(
  items: readonly { publicKey: PublicKey; digest: Uint8Array | string }[],
  signature: Signature,
): boolean {
  if (items.length === 0) return false;
  const groups = new Map<string, { digest: Uint8Array; key: G1 }>();
  for (const item of items) {
    const digest = checkDigest(item.digest);
    const id = bytesToHex(digest);
    const group = groups.get(id);
    if (group === undefined) groups.set(id, { digest, key: item.publicKey.point });
    else group.key = group.key.add(item.publicKey.point);
  }
  const pairs: { g1: G1; g2: G2 }[] = [];
  for (const { digest, key } of groups.values()) {
    if (key.is0()) return false;
    pairs.push({ g1: key, g2: hashDigest(digest, SIGNATURE_DST) });
  }
  pairs.push({ g1: G1Point.BASE.negate(), g2: signature.point });
  return bls12_381.fields.Fp12.eql(bls12_381.pairingBatch(pairs), bls12_381.fields.Fp12.ONE);
}

