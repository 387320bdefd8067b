/**
 * Every way a point encoding is refused, in both layouts (compressed between nodes, EIP-2537 on
 * L1), each with its own CryptoError code, so callers never have to parse messages.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CryptoError, hexToBytes, PublicKey, Signature, type CryptoErrorCode } from "../../src/crypto/index.ts";
import { decodeG1Eip2537, decodeG2Eip2537 } from "../../src/crypto/points.ts";
import { keys } from "../fixtures/keys.ts";
import {
  FIELD_MODULUS,
  g1Compressed,
  g1Eip2537,
  g1OffCurve,
  g1OutsideSubgroup,
  g1XOffCurve,
  g2Compressed,
  g2Eip2537,
  g2OffCurve,
  g2OutsideSubgroup,
  g2XOffCurve,
  withCoordinate,
  withDirtyPadding,
} from "../fixtures/points.ts";

const refusedWith = (code: CryptoErrorCode) => (e: unknown) => e instanceof CryptoError && e.code === code;
const hex = (s: string) => hexToBytes(s);

const sk = keys("points");
const digest = new Uint8Array(32).fill(7);
const pk = sk.publicKey;
const sig = sk.sign(digest);

describe("compressed G1 (public keys)", () => {
  test("a valid key round-trips", () => {
    assert.ok(PublicKey.fromBytes(pk.toBytes()).equals(pk));
    assert.ok(PublicKey.fromBytes(pk.toHex()).equals(pk));
  });

  test("refusals have distinct codes", () => {
    assert.throws(() => PublicKey.fromBytes(pk.toBytes().subarray(0, 47)), refusedWith("INVALID_LENGTH"));
    const noFlag = pk.toBytes().slice();
    noFlag[0] = noFlag[0]! & 0x7f;
    assert.throws(() => PublicKey.fromBytes(noFlag), refusedWith("INVALID_ENCODING"));
    assert.throws(() => PublicKey.fromBytes("0xzz"), refusedWith("INVALID_ENCODING"));
    assert.throws(() => PublicKey.fromBytes(g1Compressed(FIELD_MODULUS)), refusedWith("FIELD_ELEMENT_OUT_OF_RANGE"));
    assert.throws(() => PublicKey.fromBytes(g1Compressed(g1XOffCurve())), refusedWith("NOT_ON_CURVE"));
    assert.throws(() => PublicKey.fromBytes(g1Compressed(g1OutsideSubgroup().x)), refusedWith("NOT_IN_SUBGROUP"));
    const infinity = new Uint8Array(48);
    infinity[0] = 0xc0;
    assert.throws(() => PublicKey.fromBytes(infinity), refusedWith("POINT_AT_INFINITY"));
  });
});

describe("compressed G2 (signatures)", () => {
  test("a valid signature round-trips", () => {
    assert.ok(Signature.fromBytes(sig.toBytes()).equals(sig));
  });

  test("refusals have distinct codes", () => {
    assert.throws(() => Signature.fromBytes(sig.toBytes().subarray(0, 95)), refusedWith("INVALID_LENGTH"));
    const noFlag = sig.toBytes().slice();
    noFlag[0] = noFlag[0]! & 0x7f;
    assert.throws(() => Signature.fromBytes(noFlag), refusedWith("INVALID_ENCODING"));
    const outOfRange = { c0: FIELD_MODULUS, c1: 1n } as Parameters<typeof g2Compressed>[0];
    assert.throws(() => Signature.fromBytes(g2Compressed(outOfRange)), refusedWith("FIELD_ELEMENT_OUT_OF_RANGE"));
    assert.throws(() => Signature.fromBytes(g2Compressed(g2XOffCurve())), refusedWith("NOT_ON_CURVE"));
    assert.throws(() => Signature.fromBytes(g2Compressed(g2OutsideSubgroup().x)), refusedWith("NOT_IN_SUBGROUP"));
    const infinity = new Uint8Array(96);
    infinity[0] = 0xc0;
    assert.throws(() => Signature.fromBytes(infinity), refusedWith("POINT_AT_INFINITY"));
  });
});

describe("EIP-2537 G1", () => {
  const valid = pk.toEip2537();

  test("a valid key round-trips", () => {
    assert.ok(decodeG1Eip2537(hex(valid)).equals(pk.point));
  });

  test("refusals have distinct codes", () => {
    assert.throws(() => decodeG1Eip2537(hex(valid).subarray(0, 127)), refusedWith("INVALID_LENGTH"));
    assert.throws(() => decodeG1Eip2537(hex(withCoordinate(valid, 0, FIELD_MODULUS))), refusedWith("FIELD_ELEMENT_OUT_OF_RANGE"));
    assert.throws(() => decodeG1Eip2537(hex(withDirtyPadding(valid, 1))), refusedWith("FIELD_ELEMENT_OUT_OF_RANGE"));
    assert.throws(() => decodeG1Eip2537(hex(g1OffCurve(valid))), refusedWith("NOT_ON_CURVE"));
    // y = 0 is off the curve here (x^3 + 4 = 0 has no root at x = 1); it must not leak a library error.
    assert.throws(() => decodeG1Eip2537(hex(g1Eip2537(1n, 0n))), refusedWith("NOT_ON_CURVE"));
    const { x, y } = g1OutsideSubgroup();
    assert.throws(() => decodeG1Eip2537(hex(g1Eip2537(x, y))), refusedWith("NOT_IN_SUBGROUP"));
    assert.throws(() => decodeG1Eip2537(new Uint8Array(128)), refusedWith("POINT_AT_INFINITY"));
  });
});

describe("EIP-2537 G2", () => {
  const valid = sig.toEip2537();

  test("a valid signature round-trips", () => {
    assert.ok(decodeG2Eip2537(hex(valid)).equals(sig.point));
  });

  test("refusals have distinct codes", () => {
    assert.throws(() => decodeG2Eip2537(hex(valid).subarray(0, 255)), refusedWith("INVALID_LENGTH"));
    for (const slot of [0, 1, 2, 3]) {
      assert.throws(() => decodeG2Eip2537(hex(withCoordinate(valid, slot, FIELD_MODULUS))), refusedWith("FIELD_ELEMENT_OUT_OF_RANGE"));
      assert.throws(() => decodeG2Eip2537(hex(withDirtyPadding(valid, slot))), refusedWith("FIELD_ELEMENT_OUT_OF_RANGE"));
    }
    assert.throws(() => decodeG2Eip2537(hex(g2OffCurve(valid))), refusedWith("NOT_ON_CURVE"));
    const { x, y } = g2OutsideSubgroup();
    assert.throws(() => decodeG2Eip2537(hex(g2Eip2537(x, y))), refusedWith("NOT_IN_SUBGROUP"));
    assert.throws(() => decodeG2Eip2537(new Uint8Array(256)), refusedWith("POINT_AT_INFINITY"));
  });
});
