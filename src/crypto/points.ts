/**
 * Point encodings and their validation: the boundary where bytes from a peer, a config file or
 * an RPC call become curve points.
 *
 * Two formats:
 *  - compressed (ZCash / IETF): G1 in 48 bytes, G2 in 96 bytes, the three top bits of the first
 *    byte are flags (compressed, infinity, sign of y). Used between nodes and in key files.
 *  - EIP-2537 uncompressed: every Fp element as 64 bytes big-endian with the top 16 bytes zero;
 *    G1 = x || y (128 bytes), G2 = x.c0 || x.c1 || y.c0 || y.c1 (256 bytes). Used on L1.
 *
 * Every decoder refuses, each with its own error code: a wrong length, a malformed flag byte,
 * a field element not below p, a point not on the curve, the point at infinity, and a point
 * outside the prime-order subgroup. The last matters most: a point in a small subgroup lets an
 * attacker forge aggregate signatures or learn key bits, and the G2 precompiles do not check it.
 */
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { bigintToBytes, bytesToBigint, expectLength } from "./bytes.ts";
import { CryptoError } from "./errors.ts";

export const G1Point = bls12_381.G1.Point;
export const G2Point = bls12_381.G2.Point;
export type G1 = InstanceType<typeof G1Point>;
export type G2 = InstanceType<typeof G2Point>;
type Fp2Value = ReturnType<typeof G2Point.Fp.create>;

const Fp = G1Point.Fp;
const Fp2 = G2Point.Fp;
/** The base field modulus p. */
export const FIELD_MODULUS: bigint = Fp.ORDER;

const FLAG_COMPRESSED = 0x80;
const FLAG_INFINITY = 0x40;
const FLAG_SIGN = 0x20;

export const G1_COMPRESSED_LENGTH = 48;
export const G2_COMPRESSED_LENGTH = 96;
export const EIP2537_FP_LENGTH = 64;
export const EIP2537_G1_LENGTH = 128;
export const EIP2537_G2_LENGTH = 256;

function readFieldElement(bytes: Uint8Array, what: string): bigint {
  const value = bytesToBigint(bytes);
  if (value >= FIELD_MODULUS) {
    throw new CryptoError("FIELD_ELEMENT_OUT_OF_RANGE", `${what} has a coordinate that is not below the field modulus`);
  }
  return value;
}

/** Reads the flag byte of a compressed point; refuses infinity and non-compressed flags. */
function readFlags(bytes: Uint8Array, what: string): void {
  const flags = bytes[0]! & 0xe0;
  if ((flags & FLAG_COMPRESSED) === 0) {
    throw new CryptoError("INVALID_ENCODING", `${what} is not a compressed point`, "the compression flag (0x80) is not set");
  }
  if ((flags & FLAG_INFINITY) !== 0) {
    throw new CryptoError("POINT_AT_INFINITY", `${what} is the point at infinity`);
  }
}

/**
 * The checks of a compressed point that need no curve arithmetic: length, flags, and each
 * 48-byte coordinate of x below p (the flag bits masked off the first). Returns x's
 * coordinates in encoding order. Every compressed point passes here first, whichever backend
 * then checks the curve and the subgroup, so both refuse the same malformed bytes with the same
 * codes, and no point has a second, non-canonical encoding.
 */
export function readCompressedX(bytes: Uint8Array, length: number, what: string): bigint[] {
  expectLength(bytes, length, what);
  readFlags(bytes, what);
  const first = bytes.slice(0, 48);
  first[0] = first[0]! & 0x1f;
  const coordinates = [readFieldElement(first, what)];
  for (let offset = 48; offset < length; offset += 48) coordinates.push(readFieldElement(bytes.subarray(offset, offset + 48), what));
  return coordinates;
}

/**
 * A point (x, 0) on the curve has order 2, so it is outside the odd prime-order subgroup. The
 * curve library refuses to even build such a point, so it is refused here with our own code.
 */
function refuseTwoTorsion(what: string): never {
  throw new CryptoError("NOT_IN_SUBGROUP", `${what} is not in the prime-order subgroup`, "y = 0: a point of order 2");
}

function checkSubgroup<P extends G1 | G2>(point: P, what: string): P {
  if (!point.isTorsionFree()) {
    throw new CryptoError("NOT_IN_SUBGROUP", `${what} is not in the prime-order subgroup`);
  }
  return point;
}

/**
 * Builds the point with abscissa x whose compressed encoding equals `encoded`. Choosing y by
 * re-encoding (instead of re-implementing the sign rule) also refuses non-canonical encodings.
 */
function pointFromX<P extends G1 | G2>(candidate: P, encoded: Uint8Array, what: string): P {
  const other = candidate.negate() as P;
  for (const p of [candidate, other]) {
    const bytes = p.toBytes(true);
    if (Buffer.compare(bytes, encoded) === 0) return p;
  }
  throw new CryptoError("INVALID_ENCODING", `${what} has a sign flag that matches neither square root`);
}

/** Decodes a 48-byte compressed G1 point (a public key), fully validated. */
export function decodeG1Compressed(bytes: Uint8Array, what = "G1 point"): G1 {
  const [x] = readCompressedX(bytes, G1_COMPRESSED_LENGTH, what) as [bigint];
  const y2 = Fp.add(Fp.pow(x, 3n), G1Point.CURVE().b);
  let y: bigint;
  try {
    y = Fp.sqrt(y2);
  } catch {
    throw new CryptoError("NOT_ON_CURVE", `${what} is not on the BLS12-381 G1 curve`);
  }
  if (Fp.is0(y)) refuseTwoTorsion(what);
  // Subgroup first: re-encoding in pointFromX asserts validity, and would throw a curve-library
  // error instead of NOT_IN_SUBGROUP. Negation keeps subgroup membership, so one check covers both roots.
  const candidate = checkSubgroup(G1Point.fromAffine({ x, y }), what);
  return pointFromX(candidate, bytes, what);
}

/** Decodes a 96-byte compressed G2 point (a signature), fully validated. */
export function decodeG2Compressed(bytes: Uint8Array, what = "G2 point"): G2 {
  // Compressed G2 puts the imaginary part c1 first.
  const [c1, c0] = readCompressedX(bytes, G2_COMPRESSED_LENGTH, what) as [bigint, bigint];
  const x = Fp2.create({ c0, c1 });
  const y2 = Fp2.add(Fp2.pow(x, 3n), G2Point.CURVE().b);
  let y: Fp2Value;
  try {
    y = Fp2.sqrt(y2);
  } catch {
    throw new CryptoError("NOT_ON_CURVE", `${what} is not on the BLS12-381 G2 curve`);
  }
  if (Fp2.is0(y)) refuseTwoTorsion(what);
  // Subgroup before re-encoding, as in decodeG1Compressed.
  const candidate = checkSubgroup(G2Point.fromAffine({ x, y }), what);
  return pointFromX(candidate, bytes, what);
}

function refuseInfinity(point: G1 | G2, what: string): void {
  if (point.is0()) throw new CryptoError("POINT_AT_INFINITY", `${what} is the point at infinity`);
}

export function encodeG1Compressed(point: G1): Uint8Array {
  refuseInfinity(point, "G1 point");
  return point.toBytes(true);
}

export function encodeG2Compressed(point: G2): Uint8Array {
  refuseInfinity(point, "G2 point");
  return point.toBytes(true);
}

// ---- EIP-2537 -------------------------------------------------------------------------------

function encodeFp(value: bigint): Uint8Array {
  return bigintToBytes(value, EIP2537_FP_LENGTH);
}

function decodeFp(bytes: Uint8Array, what: string): bigint {
  for (let i = 0; i < 16; i++) {
    if (bytes[i] !== 0) {
      throw new CryptoError("FIELD_ELEMENT_OUT_OF_RANGE", `${what} has a coordinate whose top 16 bytes are not zero`);
    }
  }
  return readFieldElement(bytes.subarray(16), what);
}

/** EIP-2537 encoding of a G1 point: x || y, 64 bytes each. */
export function encodeG1Eip2537(point: G1): Uint8Array {
  refuseInfinity(point, "G1 point");
  const { x, y } = point.toAffine();
  const out = new Uint8Array(EIP2537_G1_LENGTH);
  out.set(encodeFp(x), 0);
  out.set(encodeFp(y), 64);
  return out;
}

/** EIP-2537 encoding of a G2 point: x.c0 || x.c1 || y.c0 || y.c1, 64 bytes each. */
export function encodeG2Eip2537(point: G2): Uint8Array {
  refuseInfinity(point, "G2 point");
  const { x, y } = point.toAffine();
  const out = new Uint8Array(EIP2537_G2_LENGTH);
  out.set(encodeFp(x.c0), 0);
  out.set(encodeFp(x.c1), 64);
  out.set(encodeFp(y.c0), 128);
  out.set(encodeFp(y.c1), 192);
  return out;
}

export function decodeG1Eip2537(bytes: Uint8Array, what = "G1 point"): G1 {
  expectLength(bytes, EIP2537_G1_LENGTH, what);
  const x = decodeFp(bytes.subarray(0, 64), what);
  const y = decodeFp(bytes.subarray(64, 128), what);
  if (x === 0n && y === 0n) throw new CryptoError("POINT_AT_INFINITY", `${what} is the point at infinity`);
  // The curve equation before building the point: the curve library refuses some off-curve
  // coordinates (y = 0) with its own error, which would hide the NOT_ON_CURVE code.
  if (!Fp.eql(Fp.sqr(y), Fp.add(Fp.pow(x, 3n), G1Point.CURVE().b))) {
    throw new CryptoError("NOT_ON_CURVE", `${what} is not on the BLS12-381 G1 curve`);
  }
  if (y === 0n) refuseTwoTorsion(what);
  return checkSubgroup(G1Point.fromAffine({ x, y }), what);
}

export function decodeG2Eip2537(bytes: Uint8Array, what = "G2 point"): G2 {
  expectLength(bytes, EIP2537_G2_LENGTH, what);
  const x = Fp2.create({ c0: decodeFp(bytes.subarray(0, 64), what), c1: decodeFp(bytes.subarray(64, 128), what) });
  const y = Fp2.create({ c0: decodeFp(bytes.subarray(128, 192), what), c1: decodeFp(bytes.subarray(192, 256), what) });
  if (Fp2.is0(x) && Fp2.is0(y)) throw new CryptoError("POINT_AT_INFINITY", `${what} is the point at infinity`);
  if (!Fp2.eql(Fp2.sqr(y), Fp2.add(Fp2.pow(x, 3n), G2Point.CURVE().b))) {
    throw new CryptoError("NOT_ON_CURVE", `${what} is not on the BLS12-381 G2 curve`);
  }
  if (Fp2.is0(y)) refuseTwoTorsion(what);
  return checkSubgroup(G2Point.fromAffine({ x, y }), what);
}
