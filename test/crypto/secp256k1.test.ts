import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex, keccak256, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { isHighS, RECOVERY_BACKEND, recoverAddress, recoveryBackends } from "../../src/crypto/secp256k1.ts";

const n = secp256k1.Point.CURVE().n;

describe("secp256k1 sender recovery", () => {
  test("the native libsecp256k1 binding is what this machine uses", () => {
    assert.equal(RECOVERY_BACKEND, "libsecp256k1");
    assert.ok(recoveryBackends.native !== undefined);
  });

  test("both backends recover the signer's address for 64 seeded keys and messages", () => {
    for (let i = 0; i < 64; i++) {
      const privateKey = keccak256(toHex(`recovery ${i}`));
      const digest = keccak_256(new TextEncoder().encode(`message ${i}`));
      const sig = secp256k1.Signature.fromBytes(secp256k1.sign(digest, Buffer.from(privateKey.slice(2), "hex"), { prehash: false, format: "recovered" }), "recovered");
      const expected = privateKeyToAccount(privateKey).address.toLowerCase();
      for (const [name, recover] of Object.entries(recoveryBackends)) {
        assert.equal(bytesToHex(recover!(digest, sig.r, sig.s, sig.recovery!)!), expected, `${name}, key ${i}`);
      }
      assert.equal(bytesToHex(recoverAddress(digest, sig.r, sig.s, sig.recovery!)!), expected);
    }
  });

  test("both backends refuse the same malformed signatures", () => {
    const digest = keccak_256(new Uint8Array([1]));
    const cases: [bigint, bigint, number][] = [[0n, 1n, 0], [1n, 0n, 0], [n, 1n, 0], [1n, n, 0], [5n, 1n, 0], [1n << 256n, 1n, 0]];
    for (const [r, s, v] of cases) {
      for (const [name, recover] of Object.entries(recoveryBackends)) assert.equal(recover!(digest, r, s, v), undefined, `${name}: r=${r} s=${s}`);
    }
    assert.equal(recoverAddress(digest, 1n, 1n, 2), undefined, "recovery ids 2 and 3 do not occur in Ethereum");
  });

  test("low-s boundary: n/2 is low, n/2 + 1 is high", () => {
    assert.equal(isHighS(n >> 1n), false);
    assert.equal(isHighS((n >> 1n) + 1n), true);
  });
});
