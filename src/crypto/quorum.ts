/**
 * Signer bitmaps and quorum-signature verification.
 *
 * A committee has at most 256 members, so the set of signers of a QC or TC is a uint256: bit i
 * set means the member at index i of the committee order signed. L1 takes the same number, so the
 * bitmap crosses the boundary unchanged. A bitmap cannot name a signer twice; the index-list
 * builder below refuses duplicates for the same reason a QC verifier must: counting one member
 * twice would let f + 1 signatures pass for a quorum.
 *
 * Quorum: with n members and f = floor((n - 1) / 3) tolerated faults, a quorum is n - f signers.
 * Any two quorums then intersect in at least one honest member.
 */
import { CryptoError } from "./errors.ts";
import { aggregatePublicKeys, verifyAggregateMulti } from "./aggregate.ts";
import { verify, type PublicKey, type Signature } from "./bls.ts";

export const MAX_COMMITTEE_SIZE = 256;

export function faultTolerance(n: number): number {
  return Math.floor((n - 1) / 3);
}

export function quorumSize(n: number): number {
  return n - faultTolerance(n);
}

/** Bitmap from member indices; refuses indices outside the committee and repeated indices. */
export function bitmapFromIndices(indices: Iterable<number>, committeeSize: number): bigint {
  let bitmap = 0n;
  for (const i of indices) {
    if (!Number.isInteger(i) || i < 0 || i >= committeeSize) {
      throw new CryptoError("UNKNOWN_SIGNER", "signer is not a committee member", `index ${i}, committee size ${committeeSize}`);
    }
    const bit = 1n << BigInt(i);
    if ((bitmap & bit) !== 0n) throw new CryptoError("DUPLICATE_SIGNER", "signer appears twice", `index ${i}`);
    bitmap |= bit;
  }
  return bitmap;
}

/** Member indices named by a bitmap, ascending. */
export function indicesFromBitmap(bitmap: bigint): number[] {
  const out: number[] = [];
  for (let i = 0, b = bitmap; b > 0n; i++, b >>= 1n) if ((b & 1n) === 1n) out.push(i);
  return out;
}

export function countSigners(bitmap: bigint): number {
  let count = 0;
  for (let b = bitmap; b > 0n; b &= b - 1n) count++;
  return count;
}

/** Cheap checks of a signer set, before any curve arithmetic: membership, then quorum size. */
export function checkSigners(signers: bigint, committeeSize: number): void {
  if (signers < 0n || signers >> BigInt(committeeSize) !== 0n) {
    throw new CryptoError(
      "UNKNOWN_SIGNER",
      "signer bitmap names a non-member",
      `bitmap 0x${signers.toString(16)}, committee size ${committeeSize}`,
    );
  }
  const count = countSigners(signers);
  const needed = quorumSize(committeeSize);
  if (count < needed) {
    throw new CryptoError("QUORUM_NOT_REACHED", "not enough signers for a quorum", `${count} of ${committeeSize}, need ${needed}`);
  }
}

/**
 * Verifies a quorum signature (the signature part of a QC): membership, duplicates (impossible in
 * a bitmap), quorum size, and only then one pairing check on the aggregate key. Throws a
 * CryptoError naming the first failed check.
 */
export function verifyQuorumSignature(
  committee: readonly PublicKey[],
  signers: bigint,
  digest: Uint8Array | string,
  signature: Signature,
): void {
  checkSigners(signers, committee.length);
  const keys = indicesFromBitmap(signers).map((i) => committee[i]!);
  if (!verify(aggregatePublicKeys(keys), digest, signature)) {
    throw new CryptoError("INVALID_SIGNATURE", "aggregate signature does not verify for the named signers");
  }
}

/**
 * Verifies a quorum signature whose signers each signed their own digest (a TC). `digests[k]` is
 * the digest of the k-th signer in ascending index order.
 */
export function verifyQuorumSignatureMulti(
  committee: readonly PublicKey[],
  signers: bigint,
  digests: readonly (Uint8Array | string)[],
  signature: Signature,
): void {
  checkSigners(signers, committee.length);
  const indices = indicesFromBitmap(signers);
  if (digests.length !== indices.length) {
    throw new CryptoError("INVALID_ENCODING", "one digest per signer expected", `${digests.length} digests, ${indices.length} signers`);
  }
  const items = indices.map((i, k) => ({ publicKey: committee[i]!, digest: digests[k]! }));
  if (!verifyAggregateMulti(items, signature)) {
    throw new CryptoError("INVALID_SIGNATURE", "aggregate signature does not verify for the named signers");
  }
}
