/**
 * Keys, signatures and proofs of possession in TypeScript: what a node does with its own key and
 * with its peers' votes.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  aggregatePublicKeys,
  aggregateSignatures,
  CryptoError,
  PublicKey,
  SecretKey,
  Signature,
  verify,
  verifyAggregate,
  verifyAggregateMulti,
  verifyPossession,
} from "../../src/crypto/index.ts";
import { committee, keys } from "../fixtures/keys.ts";
import { g2ShiftedByGenerator } from "../fixtures/points.ts";
import { seededDigest, testSeed } from "../fixtures/random.ts";
import { decodeG2Eip2537 } from "../../src/crypto/points.ts";
import { hexToBytes } from "../../src/crypto/bytes.ts";
import { popDigest } from "../../src/protocol/digests.ts";

const R = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;
const scalar = (v: bigint) => `0x${v.toString(16).padStart(64, "0")}`;
const seed = testSeed();
const digest = seededDigest(seed, 0);
const otherDigest = seededDigest(seed, 1);
const at = `TEST_SEED=${seed}`;

describe("secret keys", () => {
  test("a key from a seed is deterministic, and different seeds give different keys", () => {
    assert.equal(keys("alice").toHex(), keys("alice").toHex());
    assert.ok(keys("alice").publicKey.equals(SecretKey.fromSeed("alice").publicKey));
    assert.notEqual(keys("alice").toHex(), keys("bob").toHex());
  });

  test("fromBytes accepts [1, r) and refuses 0 and r and above", () => {
    assert.equal(SecretKey.fromBytes(scalar(1n)).toHex(), scalar(1n));
    assert.equal(SecretKey.fromBytes(scalar(R - 1n)).toHex(), scalar(R - 1n));
    for (const bad of [0n, R, R + 1n, (1n << 256n) - 1n]) {
      assert.throws(() => SecretKey.fromBytes(scalar(bad)), (e: CryptoError) => e.code === "INVALID_SECRET_KEY", scalar(bad));
    }
    assert.throws(() => SecretKey.fromBytes("0x01"), (e: CryptoError) => e.code === "INVALID_LENGTH");
  });

  test("a loaded key signs like the original", () => {
    const sk = keys("reload");
    const again = SecretKey.fromBytes(sk.toBytes());
    assert.ok(again.sign(digest).equals(sk.sign(digest)), at);
  });
});

describe("sign and verify", () => {
  const sk = keys("signer");
  const sig = sk.sign(digest);

  test("a signature verifies for its key and digest", () => {
    assert.equal(verify(sk.publicKey, digest, sig), true, at);
  });

  test("refused: wrong key, wrong digest, tampered signature", () => {
    assert.equal(verify(keys("someone-else").publicKey, digest, sig), false, at);
    assert.equal(verify(sk.publicKey, otherDigest, sig), false, at);
    const shifted = Signature.fromPoint(decodeG2Eip2537(hexToBytes(g2ShiftedByGenerator(sig.toEip2537()))));
    assert.equal(verify(sk.publicKey, digest, shifted), false, at);
  });

  test("refused: wrong DST in both directions (a PoP is not a signature, nor the reverse)", () => {
    const pop = sk.signPossession(digest);
    assert.equal(verifyPossession(sk.publicKey, digest, pop), true, at);
    assert.equal(verify(sk.publicKey, digest, pop), false, at);
    assert.equal(verifyPossession(sk.publicKey, digest, sig), false, at);
  });

  test("digests must be 32 bytes", () => {
    assert.throws(() => sk.sign(new Uint8Array(31)), (e: CryptoError) => e.code === "INVALID_DIGEST");
    assert.throws(() => verify(sk.publicKey, new Uint8Array(33), sig), (e: CryptoError) => e.code === "INVALID_DIGEST");
  });

  test("keys and signatures survive both encodings", () => {
    assert.ok(PublicKey.fromBytes(sk.publicKey.toBytes()).equals(sk.publicKey));
    assert.ok(Signature.fromBytes(sig.toHex()).equals(sig));
  });
});

describe("proof of possession", () => {
  const committeeAddress = "0x00000000000000000000000000000000000c0ffe";
  const operator = "0x0000000000000000000000000000000000000a11";
  const sk = keys("possessor");
  const d = popDigest(31337n, committeeAddress, operator, sk.publicKey.toEip2537());
  const proof = sk.signPossession(d);

  test("a proof over the key's own PoP digest checks", () => {
    assert.equal(verifyPossession(sk.publicKey, d, proof), true);
  });

  test("a proof does not transfer: another key, chain, registry or operator is refused", () => {
    const other = keys("possessor-2").publicKey;
    assert.equal(verifyPossession(other, popDigest(31337n, committeeAddress, operator, other.toEip2537()), proof), false);
    assert.equal(verifyPossession(sk.publicKey, popDigest(1n, committeeAddress, operator, sk.publicKey.toEip2537()), proof), false);
    const elsewhere = popDigest(31337n, "0x00000000000000000000000000000000000beef0", operator, sk.publicKey.toEip2537());
    assert.equal(verifyPossession(sk.publicKey, elsewhere, proof), false);
    const thief = popDigest(31337n, committeeAddress, "0x000000000000000000000000000000000000bad0", sk.publicKey.toEip2537());
    assert.equal(verifyPossession(sk.publicKey, thief, proof), false);
  });
});

describe("aggregation", () => {
  const members = committee(5);
  const sigs = members.map((m) => m.sign(digest));
  const pks = members.map((m) => m.publicKey);

  test("an aggregate verifies for exactly its signers", () => {
    const agg = aggregateSignatures(sigs.slice(0, 4));
    assert.equal(verifyAggregate(pks.slice(0, 4), digest, agg), true, at);
    assert.equal(verifyAggregate(pks.slice(0, 3), digest, agg), false, at);
    assert.equal(verifyAggregate(pks, digest, agg), false, at);
    assert.ok(aggregatePublicKeys(pks.slice(0, 2)).equals(aggregatePublicKeys([pks[1]!, pks[0]!])));
  });

  test("aggregating nothing is refused", () => {
    assert.throws(() => aggregateSignatures([]), (e: CryptoError) => e.code === "QUORUM_NOT_REACHED");
    assert.throws(() => aggregatePublicKeys([]), (e: CryptoError) => e.code === "QUORUM_NOT_REACHED");
  });

  test("verifyAggregateMulti: each signer its own digest (a timeout certificate)", () => {
    const ds = members.map((_, i) => seededDigest(seed, 10 + (i % 2)));
    const agg = aggregateSignatures(members.map((m, i) => m.sign(ds[i]!)));
    const items = members.map((m, i) => ({ publicKey: m.publicKey, digest: ds[i]! }));
    assert.equal(verifyAggregateMulti(items, agg), true, at);
    const swapped = items.map((it, i) => ({ ...it, digest: ds[(i + 1) % ds.length]! }));
    assert.equal(verifyAggregateMulti(swapped, agg), false, at);
    assert.equal(verifyAggregateMulti(items.slice(1), agg), false, at);
    assert.equal(verifyAggregateMulti([], agg), false);
  });
});
