/**
 * Aggregation: the sum of signatures over one digest verifies against the sum of the signers'
 * keys, e(Σpk, H(m)) == e(G1, Σsig), so a whole quorum costs one pairing check. Safe only for
 * keys that proved possession of their secret (src/crypto/bls.ts): without that, a rogue key
 * pk' = x·G − Σothers would let one member forge the quorum's signature.
 *
 * Over distinct digests (a timeout certificate, where each member signs its own high-QC view),
 * equal digests are grouped first, so each distinct message costs one Miller loop, and one
 * final exponentiation checks the product.
 */
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { checkDigest, hashDigest, PublicKey, Signature, SIGNATURE_DST, verify } from "./bls.ts";
import { native } from "./blst.ts";
import { bytesToHex } from "./bytes.ts";
import { CryptoError } from "./errors.ts";
import { G1Point, G2Point, type G1, type G2 } from "./points.ts";

/** Adds signatures. Callers aggregate only signatures of keys that proved possession. */
export function aggregateSignatures(signatures: readonly Signature[]): Signature {
  if (signatures.length === 0) throw new CryptoError("QUORUM_NOT_REACHED", "cannot aggregate zero signatures");
  if (native !== undefined) return Signature.fromNative(native.aggregateSignatures(signatures.map((s) => s.native), false));
  let sum = G2Point.ZERO;
  for (const s of signatures) sum = sum.add(s.point);
  return Signature.fromPoint(sum);
}

/** Adds public keys. Only keys that proved possession may be aggregated (rogue-key defence). */
export function aggregatePublicKeys(keys: readonly PublicKey[]): PublicKey {
  if (keys.length === 0) throw new CryptoError("QUORUM_NOT_REACHED", "cannot aggregate zero public keys");
  if (native !== undefined) return PublicKey.fromNative(native.aggregatePublicKeys(keys.map((k) => k.native), false));
  let sum = G1Point.ZERO;
  for (const k of keys) sum = sum.add(k.point);
  return PublicKey.fromPoint(sum);
}

/** Verifies an aggregate signature of several keys over one digest: one pairing check. */
export function verifyAggregate(keys: readonly PublicKey[], digest: Uint8Array | string, signature: Signature): boolean {
  return verify(aggregatePublicKeys(keys), digest, signature);
}

/** Verifies an aggregate signature over distinct digests (see the file comment). */
export function verifyAggregateMulti(
  items: readonly { publicKey: PublicKey; digest: Uint8Array | string }[],
  signature: Signature,
): boolean {
  if (items.length === 0) return false;
  const groups = new Map<string, { digest: Uint8Array; keys: PublicKey[] }>();
  for (const item of items) {
    const digest = checkDigest(item.digest);
    const id = bytesToHex(digest);
    const group = groups.get(id);
    if (group === undefined) groups.set(id, { digest, keys: [item.publicKey] });
    else group.keys.push(item.publicKey);
  }
  const digests: Uint8Array[] = [];
  const keys: PublicKey[] = [];
  for (const group of groups.values()) {
    try {
      keys.push(aggregatePublicKeys(group.keys));
    } catch (e) {
      // The keys of one digest cancel out: nothing can verify against infinity.
      if (e instanceof CryptoError && e.code === "POINT_AT_INFINITY") return false;
      throw e;
    }
    digests.push(group.digest);
  }
  if (native !== undefined) return native.aggregateVerify(digests, keys.map((k) => k.native), signature.native, false, false);
  const pairs: { g1: G1; g2: G2 }[] = keys.map((key, i) => ({ g1: key.point, g2: hashDigest(digests[i]!, SIGNATURE_DST) }));
  pairs.push({ g1: G1Point.BASE.negate(), g2: signature.point });
  return bls12_381.fields.Fp12.eql(bls12_381.pairingBatch(pairs), bls12_381.fields.Fp12.ONE);
}
