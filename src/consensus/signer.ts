/**
 * The seam between consensus and cryptography (relab/hotstuff's crypto.Base): sign a digest,
 * verify one signature, aggregate, and verify quorum signatures. The core depends only on this
 * interface; `createBlsSigner` backs it with src/crypto (BLS12-381, the only real scheme), and
 * tests may substitute a fast fake with the same contract for large randomized runs.
 *
 * Contract of the quorum checks (asonnino/hotstuff's QC::verify order): membership, then quorum
 * size, then the pairing. They throw on failure; `verify` returns false.
 */
import type { Hex } from "viem";
import {
  aggregateSignatures,
  checkSigners,
  PublicKey,
  SecretKey,
  Signature,
  verify,
  verifyQuorumSignature,
  verifyQuorumSignatureMulti,
} from "../crypto/index.ts";
import { ConsensusError } from "./errors.ts";
import type { Sig } from "./types.ts";

export interface Signer {
  /** Name of the scheme, reported by tools ("bls12-381"). */
  readonly scheme: string;
  readonly committeeSize: number;
  /** Signs with this member's key. */
  sign(digest: Hex): Sig;
  verify(member: number, digest: Hex, signature: Sig): boolean;
  aggregate(signatures: readonly Sig[]): Sig;
  /** Throws unless `signature` aggregates quorum signatures by `signers` over `digest`. */
  verifyQuorum(signers: bigint, digest: Hex, signature: Sig): void;
  /** As verifyQuorum, but the k-th signer (ascending index) signed `digests[k]` (a TC). */
  verifyQuorumMulti(signers: bigint, digests: readonly Hex[], signature: Sig): void;
  /** Parses a signature from the wire; throws on anything that is not a valid signature. */
  decodeSignature(hex: Hex): Sig;
}

function asBls(sig: Sig): Signature {
  if (!(sig instanceof Signature)) throw new ConsensusError("INVALID_SIGNATURE", "not a BLS signature");
  return sig;
}

/** The real signer: `key` signs for this member, `committee` are the epoch's keys in order. */
export function createBlsSigner(key: SecretKey | null, committee: readonly PublicKey[]): Signer {
  return {
    scheme: "bls12-381",
    committeeSize: committee.length,
    sign(digest) {
      if (key === null) throw new ConsensusError("NO_KEY", "this signer has no secret key");
      return key.sign(digest);
    },
    verify(member, digest, signature) {
      const pk = committee[member];
      return pk !== undefined && verify(pk, digest, asBls(signature));
    },
    aggregate: (signatures) => aggregateSignatures(signatures.map(asBls)),
    verifyQuorum: (signers, digest, signature) => verifyQuorumSignature(committee, signers, digest, asBls(signature)),
    verifyQuorumMulti: (signers, digests, signature) =>
      verifyQuorumSignatureMulti(committee, signers, digests, asBls(signature)),
    decodeSignature: (hex) => Signature.fromBytes(hex),
  };
}

/**
 * Wraps a signer so that a verification that succeeded once is not repeated: a QC travels in a
 * proposal, in timeouts, in a TC and in sync responses, and each copy would otherwise cost a
 * pairing. Only successes are remembered (keyed by everything that was verified), so a forged
 * copy of a known certificate still fails. Cheap checks still run on every call. The cache may
 * be shared by members that trust each other's verification (the simulator shares one across
 * its members to keep real-BLS runs fast); `limit` bounds its size.
 */
export function cacheVerifications(signer: Signer, cache: Map<string, true> = new Map(), limit = 100_000): Signer {
  const remember = (k: string) => {
    if (cache.size >= limit) cache.delete(cache.keys().next().value as string);
    cache.set(k, true);
  };
  return {
    ...signer,
    sign: (digest) => signer.sign(digest),
    verify(member, digest, signature) {
      const k = `1:${member}:${digest}:${signature.toHex()}`;
      if (cache.has(k)) return true;
      const ok = signer.verify(member, digest, signature);
      if (ok) remember(k);
      return ok;
    },
    verifyQuorum(signers, digest, signature) {
      const k = `q:${signers}:${digest}:${signature.toHex()}`;
      if (cache.has(k)) return checkSigners(signers, signer.committeeSize);
      signer.verifyQuorum(signers, digest, signature);
      remember(k);
    },
    verifyQuorumMulti(signers, digests, signature) {
      const k = `m:${signers}:${digests.join(",")}:${signature.toHex()}`;
      if (cache.has(k)) return checkSigners(signers, signer.committeeSize);
      signer.verifyQuorumMulti(signers, digests, signature);
      remember(k);
    },
  };
}
