/**
 * Committees of signers for simulations and benchmarks, backed by real BLS12-381 keys derived
 * from fixed seeds (anyone can rebuild them: test keys only).
 */
import { PublicKey, SecretKey } from "../crypto/index.ts";
import { cacheVerifications, createBlsSigner, type Signer } from "../consensus/index.ts";

export interface Committee {
  readonly scheme: string;
  /** One signer per member, holding that member's key. */
  readonly signers: readonly Signer[];
  /** A signer without a key, for outside checks. */
  readonly verifier: Signer;
}

const keyCache = new Map<number, SecretKey>();

export function memberKey(i: number): SecretKey {
  let key = keyCache.get(i);
  if (key === undefined) keyCache.set(i, (key = SecretKey.fromSeed(`hotstuff-rollup/sim/member-${i}`)));
  return key;
}

/**
 * `shareVerifications`: members remember each other's successful verifications (one shared
 * cache). Every distinct signature and certificate is still verified by real pairings once; only
 * the n-fold repetition a single-process simulation would do is saved. Benchmarks turn it off.
 */
export function createBlsCommittee(n: number, shareVerifications = true): Committee {
  const keys = Array.from({ length: n }, (_, i) => memberKey(i));
  const publicKeys: PublicKey[] = keys.map((k) => k.publicKey);
  const shared = new Map<string, true>();
  const wrap = (s: Signer) => (shareVerifications ? cacheVerifications(s, shared) : s);
  return {
    scheme: "bls12-381",
    signers: keys.map((k) => wrap(createBlsSigner(k, publicKeys))),
    verifier: wrap(createBlsSigner(null, publicKeys)),
  };
}
