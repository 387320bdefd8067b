import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  aggregateSignatures,
  bitmapFromIndices,
  CryptoError,
  faultTolerance,
  indicesFromBitmap,
  quorumSize,
  verifyQuorumSignature,
} from "../../src/crypto/index.ts";
import { committee } from "../fixtures/keys.ts";

const digest = new Uint8Array(32).fill(0xab);

describe("quorum arithmetic", () => {
  test("n - f with f = floor((n - 1) / 3)", () => {
    assert.deepEqual([1, 4, 7, 10, 100].map(faultTolerance), [0, 1, 2, 3, 33]);
    assert.deepEqual([1, 4, 7, 10, 100].map(quorumSize), [1, 3, 5, 7, 67]);
  });

  test("bitmaps round-trip and refuse duplicates and non-members", () => {
    assert.deepEqual(indicesFromBitmap(bitmapFromIndices([0, 3, 255], 256)), [0, 3, 255]);
    assert.throws(() => bitmapFromIndices([1, 1], 4), (e: CryptoError) => e.code === "DUPLICATE_SIGNER");
    assert.throws(() => bitmapFromIndices([4], 4), (e: CryptoError) => e.code === "UNKNOWN_SIGNER");
  });
});

describe("verifyQuorumSignature", () => {
  const keys = committee(4);
  const pks = keys.map((k) => k.publicKey);
  const sigs = keys.map((k) => k.sign(digest));

  test("a quorum of 3 of 4 verifies", () => {
    verifyQuorumSignature(pks, bitmapFromIndices([0, 1, 3], 4), digest, aggregateSignatures([sigs[0]!, sigs[1]!, sigs[3]!]));
  });

  test("checks membership before quorum size before the pairing", () => {
    const agg = aggregateSignatures(sigs);
    assert.throws(() => verifyQuorumSignature(pks, 0b10011n, digest, agg), (e: CryptoError) => e.code === "UNKNOWN_SIGNER");
    assert.throws(() => verifyQuorumSignature(pks, 0b0011n, digest, agg), (e: CryptoError) => e.code === "QUORUM_NOT_REACHED");
    assert.throws(() => verifyQuorumSignature(pks, 0b0111n, digest, agg), (e: CryptoError) => e.code === "INVALID_SIGNATURE");
  });
});
