/** The WebAssembly keccak256 against known digests and against @noble/hashes' pure-JS one. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { keccak_256 as nobleKeccak } from "@noble/hashes/sha3.js";
import { bytesToHex, stringToBytes } from "viem";
import { keccak256, keccak_256 } from "../../src/crypto/keccak.ts";

test("known digests: the empty string, 'abc', and Ethereum's empty trie root", () => {
  assert.equal(keccak256("0x"), "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  assert.equal(keccak256(stringToBytes("abc")), "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
  assert.equal(keccak256("0x80"), "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");
});

test("equals the pure-JS keccak for every length around the 136-byte rate, and calls do not leak state into each other", () => {
  for (let length = 0; length <= 3 * 136 + 1; length++) {
    const data = Uint8Array.from({ length }, (_, i) => (i * 31 + length) & 0xff);
    assert.equal(bytesToHex(keccak_256(data)), bytesToHex(nobleKeccak(data)), `length ${length}`);
  }
  const a = keccak_256(Uint8Array.of(1));
  keccak_256(new Uint8Array(1000));
  assert.deepEqual(keccak_256(Uint8Array.of(1)), a);
  assert.notEqual(keccak_256(Uint8Array.of(1)), keccak_256(Uint8Array.of(1)), "each digest is a new array, never a shared buffer");
});
