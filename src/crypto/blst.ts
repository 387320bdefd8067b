/**
 * The native BLS12-381 backend: supranational's blst (the C/assembly library Ethereum consensus
 * clients run) through `@chainsafe/blst`'s prebuilt N-API binding, which the npm registry ships
 * per platform (linux x64/arm64 glibc and musl, darwin x64/arm64, win32 x64).
 *
 * Why: in pure JavaScript (@noble/curves) one signature costs ≈ 30 ms, one verification ≈ 50 ms
 * and decoding a compressed signature (square root and subgroup check) ≈ 10 ms, and a member does
 * several of each per view; blst does them in ≈ 0.5, 1.7 and 0.13 ms (BENCHMARKS.md). Same
 * curve, same encodings, same hash-to-curve suite: blst's `sign`/`verify` hash with the IETF
 * proof-of-possession scheme's signature tag, which is exactly our SIGNATURE_DST, and BLS
 * signing is deterministic, so both backends produce the same bytes (tested).
 *
 * @noble/curves stays the reference and does what the binding cannot: proofs of possession
 * (another DST), hash-to-G2 for any tag, EIP-2537 decoding. Where the binding does not load
 * (another platform), or with HOTSTUFF_BLS=noble (to compare backends), everything runs on noble.
 * A point blst refuses is refused at once with blst's reason (`refusalOf`): decoding it again in
 * noble to name the refusal cost ~10 ms, which a peer could make every member spend per bad
 * signature it sends.
 */
import { createRequire } from "node:module";
import type * as Blst from "@chainsafe/blst";
import { CryptoError, type CryptoErrorCode } from "./errors.ts";
import { EIP2537_FP_LENGTH, EIP2537_G1_LENGTH, EIP2537_G2_LENGTH } from "./points.ts";

export type NativeBls = typeof Blst;
export type NativePublicKey = Blst.PublicKey;
export type NativeSignature = Blst.Signature;
export type NativeSecretKey = Blst.SecretKey;

function load(): NativeBls | undefined {
  if (process.env.HOTSTUFF_BLS === "noble") return undefined;
  try {
    return createRequire(import.meta.url)("@chainsafe/blst") as NativeBls;
  } catch {
    return undefined;
  }
}

/** The binding, or undefined where it cannot load (or HOTSTUFF_BLS=noble). */
export const native: NativeBls | undefined = load();

export const BLS_BACKEND: "blst" | "noble" = native === undefined ? "noble" : "blst";

/**
 * blst's refusal codes (BLST_ERROR in blst.h, as @chainsafe/blst names them) and ours. The cheap
 * checks (length, flags, coordinates below p) run before blst in both backends (points.ts
 * `readCompressedX`), so what is left for blst is the curve and the subgroup, named like noble's;
 * any other refusal keeps blst's reason under INVALID_ENCODING.
 */
const BLST_REFUSALS: Readonly<Record<string, readonly [CryptoErrorCode, string]>> = {
  BLST_POINT_NOT_ON_CURVE: ["NOT_ON_CURVE", "is not on the BLS12-381 curve"],
  BLST_POINT_NOT_IN_GROUP: ["NOT_IN_SUBGROUP", "is not in the prime-order subgroup"],
  BLST_PK_IS_INFINITY: ["POINT_AT_INFINITY", "is the point at infinity"],
  BLST_BAD_ENCODING: ["INVALID_ENCODING", "is not a valid compressed point"],
};

/**
 * The CryptoError for a point blst refused while decoding `what`. An error that is not a blst
 * refusal (a bug, a binding fault) is returned as it is, so it is not mistaken for a peer's fault.
 */
export function refusalOf(error: unknown, what: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !code.startsWith("BLST_")) return error;
  const [ours, text] = BLST_REFUSALS[code] ?? ["INVALID_ENCODING", "was refused by blst"];
  return new CryptoError(ours, `${what} ${text}`, `blst: ${code}`);
}

const FP = 48;

/** Copies a 48-byte field element into a 64-byte EIP-2537 slot (16 zero bytes on top). */
function putFp(out: Uint8Array, slot: number, fp: Uint8Array): void {
  out.set(fp, slot * EIP2537_FP_LENGTH + (EIP2537_FP_LENGTH - FP));
}

/** blst's uncompressed G1 (x || y, 48 bytes each, big-endian) in the EIP-2537 layout. */
export function eip2537FromUncompressedG1(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(EIP2537_G1_LENGTH);
  putFp(out, 0, bytes.subarray(0, FP));
  putFp(out, 1, bytes.subarray(FP, 2 * FP));
  return out;
}

/**
 * blst's uncompressed G2 (ZCash order: x.c1 || x.c0 || y.c1 || y.c0) in the EIP-2537 layout
 * (x.c0 || x.c1 || y.c0 || y.c1).
 */
export function eip2537FromUncompressedG2(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(EIP2537_G2_LENGTH);
  putFp(out, 0, bytes.subarray(FP, 2 * FP));
  putFp(out, 1, bytes.subarray(0, FP));
  putFp(out, 2, bytes.subarray(3 * FP, 4 * FP));
  putFp(out, 3, bytes.subarray(2 * FP, 3 * FP));
  return out;
}
