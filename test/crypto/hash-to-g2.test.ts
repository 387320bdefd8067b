/**
 * RFC 9380 Appendix J.10.1 (suite BLS12381G2_XMD:SHA-256_SSWU_RO_) on the TypeScript side. The
 * same JSON file drives the contract test, so both sides are held to one set of vectors.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { hashToG2Eip2537 } from "../../src/crypto/index.ts";
import { expectedEip2537, RFC9380_G2 } from "../fixtures/vectors.ts";

test("the vector file holds the five RFC messages", () => {
  const lengths = RFC9380_G2.vectors.map((v) => v.msg.length);
  assert.deepEqual(lengths, [0, 3, 16, 133, 517]);
});

for (const v of RFC9380_G2.vectors) {
  test(`hashToG2 matches RFC 9380 J.10.1 for msg of ${v.msg.length} bytes`, () => {
    const got = hashToG2Eip2537(new TextEncoder().encode(v.msg), RFC9380_G2.dst);
    assert.equal(got, expectedEip2537(v.P));
  });
}
