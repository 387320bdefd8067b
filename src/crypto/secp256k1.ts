/**
 * secp256k1 sender recovery for L2 transactions. It lives in the crypto module because that is
 * the one place allowed to import a curve library (CONVENTIONS.md §8). It is synchronous on
 * purpose: viem's recoverAddress is async (it lazy-loads the curve), and block re-execution runs
 * inside consensus's validation callback, which must not await.
 *
 * Two backends give the same answers (test/crypto/secp256k1.test.ts checks them against each
 * other): libsecp256k1, the C library geth and Bitcoin Core use, through the `secp256k1` package's
 * prebuilt native binding (about 0.1 ms per recovery), and @noble/curves in pure JS (about 1.5-3 ms)
 * where the binding cannot load. Recovery is the dominant cost of taking a transaction in, so the
 * native one is preferred. We load `secp256k1/bindings` directly: the package's default entry
 * silently falls back to `elliptic`, which we do not want on a consensus path.
 *
 * Ethereum refuses signatures with s > n/2 (EIP-2): both (r, s) and (r, n - s) verify, so accepting
 * high s would give every transaction a second hash. The caller checks that with `isHighS` so it
 * can report its own error; `recoverAddress` itself only insists on a well-formed signature.
 */
import { createRequire } from "node:module";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { keccak_256 } from "./keccak.ts";

type Recover = (digest: Uint8Array, r: bigint, s: bigint, yParity: number) => Uint8Array | undefined;

const HALF_ORDER = secp256k1.Point.CURVE().n >> 1n;

export function isHighS(s: bigint): boolean {
  return s > HALF_ORDER;
}

function addressOf(uncompressed: Uint8Array): Uint8Array {
  // Uncompressed encoding is 0x04 || x || y; the address is the last 20 bytes of keccak(x || y).
  return keccak_256(uncompressed.subarray(1)).subarray(12);
}

const recoverWithNoble: Recover = (digest, r, s, yParity) => {
  try {
    return addressOf(new secp256k1.Signature(r, s).addRecoveryBit(yParity).recoverPublicKey(digest).toBytes(false));
  } catch {
    return undefined;
  }
};

interface NativeSecp256k1 {
  ecdsaRecover(signature: Uint8Array, recid: number, msg32: Uint8Array, compressed: false): Uint8Array;
}

function loadNative(): Recover | undefined {
  let native: NativeSecp256k1;
  try {
    native = createRequire(import.meta.url)("secp256k1/bindings") as NativeSecp256k1;
  } catch {
    return undefined;
  }
  return (digest, r, s, yParity) => {
    if (r >= 1n << 256n || s >= 1n << 256n || r < 0n || s < 0n) return undefined;
    const signature = new Uint8Array(64);
    signature.set(Buffer.from(r.toString(16).padStart(64, "0"), "hex"), 0);
    signature.set(Buffer.from(s.toString(16).padStart(64, "0"), "hex"), 32);
    try {
      return addressOf(native.ecdsaRecover(signature, yParity, digest, false));
    } catch {
      return undefined;
    }
  };
}

const recoverWithNative = loadNative();

/** Both backends, for tests that hold them to the same answers; `native` is absent without the binding. */
export const recoveryBackends: { readonly noble: Recover; readonly native: Recover | undefined } = {
  noble: recoverWithNoble,
  native: recoverWithNative,
};

export const RECOVERY_BACKEND: "libsecp256k1" | "noble" = recoverWithNative === undefined ? "noble" : "libsecp256k1";

/**
 * The 20-byte address whose key signed `digest` with (r, s, yParity), or `undefined` when no such
 * key exists (r or s out of range, or r not the x-coordinate of a curve point).
 */
export function recoverAddress(digest: Uint8Array, r: bigint, s: bigint, yParity: number): Uint8Array | undefined {
  if (yParity !== 0 && yParity !== 1) return undefined;
  return (recoverWithNative ?? recoverWithNoble)(digest, r, s, yParity);
}

/**
 * Signs `digest` with `secretKey` (RFC 6979, low s), synchronously. Members never sign L2
 * transactions; this serves the devnet's Byzantine member (src/byzantine/bad-proposal.ts), which
 * must build a transaction inside a consensus step, where nothing may await.
 */
export function signDigest(digest: Uint8Array, secretKey: Uint8Array): { r: bigint; s: bigint; yParity: number } {
  const sig = secp256k1.Signature.fromBytes(secp256k1.sign(digest, secretKey, { prehash: false, format: "recovered" }), "recovered");
  return { r: sig.r, s: sig.s, yParity: sig.recovery! };
}
