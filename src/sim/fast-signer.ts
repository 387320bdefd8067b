/**
 * SIMULATION-ONLY fast signer: same contract as the BLS Signer, about a thousand times cheaper, for
 * the randomized simulation runs (test/sim, the whole-member simulator `npm run sim:stack`). A "signature" is HMAC-SHA256(member secret, digest); an aggregate
 * is the sum of its parts mod 2^256, verified by recomputing the parts from the committee's
 * secrets. A member that does not know another's secret cannot produce its part, so forgeries
 * are still caught; membership and quorum size are checked first, as with BLS.
 * Never use outside tests and simulators: the verifier knows every secret.
 */
import { createHmac } from "node:crypto";
import type { Hex } from "viem";
import { checkSigners, CryptoError, indicesFromBitmap } from "../crypto/index.ts";
import type { Sig, Signer } from "../consensus/index.ts";
import type { Committee } from "./committee.ts";

const MOD = 1n << 256n;

class FastSig implements Sig {
  readonly value: bigint;
  constructor(value: bigint) {
    this.value = value;
  }
  toHex(): Hex {
    return `0x${this.value.toString(16).padStart(64, "0")}`;
  }
}

const parts = new Map<string, bigint>();

function part(secret: string, digest: Hex): bigint {
  const key = `${secret}:${digest}`;
  let value = parts.get(key);
  if (value === undefined) {
    if (parts.size >= 100_000) parts.clear();
    parts.set(key, (value = BigInt(`0x${createHmac("sha256", secret).update(digest).digest("hex")}`)));
  }
  return value;
}

function asFast(sig: Sig): FastSig {
  if (!(sig instanceof FastSig)) throw new CryptoError("INVALID_SIGNATURE", "not a fast test signature");
  return sig;
}

/** A signer over the members holding `secrets` (in signer order); `self` indexes this member's, null for a verifier. */
export function createFastSigner(self: number | null, secrets: readonly string[]): Signer {
  const n = secrets.length;
  const sumOver = (signers: bigint, digestOf: (k: number) => Hex) =>
    indicesFromBitmap(signers).reduce((acc, i, k) => (acc + part(secrets[i]!, digestOf(k))) % MOD, 0n);
  return {
    scheme: "fast-test",
    committeeSize: n,
    sign(digest) {
      if (self === null) throw new Error("verifier cannot sign");
      return new FastSig(part(secrets[self]!, digest));
    },
    verify: (member, digest, sig) => member >= 0 && member < n && asFast(sig).value === part(secrets[member]!, digest),
    aggregate: (sigs) => new FastSig(sigs.reduce((acc, s) => (acc + asFast(s).value) % MOD, 0n)),
    verifyQuorum(signers, digest, sig) {
      checkSigners(signers, n);
      if (sumOver(signers, () => digest) !== asFast(sig).value) throw new CryptoError("INVALID_SIGNATURE", "aggregate does not verify");
    },
    verifyQuorumMulti(signers, digests, sig) {
      checkSigners(signers, n);
      if (digests.length !== indicesFromBitmap(signers).length) throw new CryptoError("INVALID_ENCODING", "one digest per signer expected");
      if (sumOver(signers, (k) => digests[k]!) !== asFast(sig).value) throw new CryptoError("INVALID_SIGNATURE", "aggregate does not verify");
    },
    decodeSignature(hex) {
      if (!/^0x[0-9a-f]{64}$/.test(hex)) throw new CryptoError("INVALID_LENGTH", "fast signature must be 32 bytes");
      return new FastSig(BigInt(hex));
    },
  };
}

/** The secret of configured member `i` (a fixed string: anyone can forge with it, which is the point of a test signer). */
export function fastSecret(i: number): string {
  return `fast-test-secret-${i}`;
}

export function createFastCommittee(n: number): Committee {
  const secrets = Array.from({ length: n }, (_, i) => fastSecret(i));
  return {
    scheme: "fast-test",
    signers: secrets.map((_, i) => createFastSigner(i, secrets)),
    verifier: createFastSigner(null, secrets),
  };
}
