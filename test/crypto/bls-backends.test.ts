/**
 * The native backend (blst, src/crypto/blst.ts) against the reference (@noble/curves): BLS
 * signing is deterministic, so both must produce the same bytes for the same key and digest,
 * and agree on every verification, aggregate and encoding. Then the whole crypto suite again
 * with HOTSTUFF_BLS=noble, so the fallback used where the binding cannot load stays tested.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, test } from "node:test";
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { aggregatePublicKeys, aggregateSignatures, CryptoError, PublicKey, SIGNATURE_DST, Signature, verify, verifyAggregateMulti } from "../../src/crypto/index.ts";
import { BLS_BACKEND } from "../../src/crypto/blst.ts";
import { bytesToHex, hexToBytes } from "../../src/crypto/bytes.ts";
import { decodeG1Compressed, decodeG2Compressed, encodeG1Eip2537, encodeG2Eip2537, FIELD_MODULUS } from "../../src/crypto/points.ts";
import { committee } from "../fixtures/keys.ts";
import { g1Compressed, g1OutsideSubgroup, g1XOffCurve, g2Compressed, g2OutsideSubgroup, g2XOffCurve } from "../fixtures/points.ts";
import { seededBytes, seededDigest, testSeed } from "../fixtures/random.ts";

const scheme = bls12_381.longSignatures;
const seed = testSeed();
const at = `TEST_SEED=${seed}`;
const nativeExpected = process.platform === "linux" && process.arch === "x64";

describe("native BLS backend", () => {
  test("loads where the registry ships a binding (linux x64 here)", { skip: !nativeExpected }, () => {
    assert.equal(BLS_BACKEND, "blst");
  });

  const members = committee(4);
  const digests = Array.from({ length: 8 }, (_, i) => seededDigest(seed, 100 + i));

  test("signs byte for byte like noble, and each side verifies the other's", () => {
    for (const [i, digest] of digests.entries()) {
      const member = members[i % members.length]!;
      const ours = member.sign(digest);
      const hashed = scheme.hash(hexToBytes(digest), SIGNATURE_DST);
      const reference = scheme.sign(hashed, member.toBytes());
      assert.equal(ours.toHex(), bytesToHex(reference.toBytes(true)), at);
      assert.ok(scheme.verify(reference, hashed, member.publicKey.point), at);
      assert.equal(verify(member.publicKey, digest, Signature.fromBytes(bytesToHex(reference.toBytes(true)))), true, at);
      assert.equal(verify(member.publicKey, digests[(i + 1) % digests.length]!, ours), false, at);
    }
  });

  test("public keys, aggregates and EIP-2537 encodings equal noble's", () => {
    for (const member of members) {
      assert.equal(member.publicKey.toHex(), bytesToHex(scheme.getPublicKey(member.toBytes()).toBytes(true)));
      assert.equal(member.publicKey.toEip2537(), bytesToHex(encodeG1Eip2537(member.publicKey.point)));
    }
    const sigs = members.map((m) => m.sign(digests[0]!));
    const aggregate = aggregateSignatures(sigs);
    const sum = sigs.reduce((acc, s) => acc.add(s.point), bls12_381.G2.Point.ZERO);
    assert.equal(aggregate.toHex(), bytesToHex(sum.toBytes(true)), at);
    assert.equal(aggregate.toEip2537(), bytesToHex(encodeG2Eip2537(sum)), at);
    const keySum = members.reduce((acc, m) => acc.add(m.publicKey.point), bls12_381.G1.Point.ZERO);
    assert.equal(aggregatePublicKeys(members.map((m) => m.publicKey)).toHex(), bytesToHex(keySum.toBytes(true)));
  });

  test("values made from noble points work with the native operations, and the reverse", () => {
    const digest = digests[0]!;
    const sig = members[0]!.sign(digest);
    const fromPoint = Signature.fromPoint(sig.point);
    const keyFromPoint = PublicKey.fromPoint(members[0]!.publicKey.point);
    assert.equal(verify(keyFromPoint, digest, fromPoint), true, at);
    assert.ok(fromPoint.equals(sig));
    // A timeout certificate's shape: two digests, one of them signed by two members.
    const signed = [0, 1, 1].map((d, i) => ({ member: members[i]!, digest: digests[d]! }));
    const tc = aggregateSignatures(signed.map((s) => s.member.sign(s.digest)));
    const items = signed.map((s) => ({ publicKey: s.member.publicKey, digest: s.digest }));
    assert.equal(verifyAggregateMulti(items, Signature.fromPoint(tc.point)), true, at);
    assert.equal(verifyAggregateMulti(items.slice(0, 2), tc), false, at);
  });
});

/** The refusal code of a decoder for `bytes`, or "accepted". */
function outcome(decode: () => unknown): string {
  try {
    decode();
    return "accepted";
  } catch (e) {
    if (e instanceof CryptoError) return e.code;
    throw e;
  }
}

/** A compressed encoding of a seeded x below p, with a seeded sign flag: on the curve about half the time. */
function seededEncoding(i: number, length: 48 | 96): Uint8Array {
  const bytes = seededBytes(seed, `encoding/${length}/${i}`, length);
  for (let offset = 0; offset < length; offset += 48) {
    const word = bytes.subarray(offset, offset + 48);
    word[0] = word[0]! & 0x1f; // below 2^381 ...
    if (BigInt(`0x${Buffer.from(word).toString("hex")}`) >= FIELD_MODULUS) word[0] = 0; // ... and below p
  }
  bytes[0] = bytes[0]! | 0x80 | (i % 2 === 0 ? 0x20 : 0);
  return bytes;
}

describe("a point blst refuses", () => {
  test("is refused with the code noble gives the same bytes", { skip: BLS_BACKEND !== "blst" }, () => {
    const g1 = [g1Compressed(g1XOffCurve()), g1Compressed(g1OutsideSubgroup().x)].map((h) => hexToBytes(h));
    const g2 = [g2Compressed(g2XOffCurve()), g2Compressed(g2OutsideSubgroup().x)].map((h) => hexToBytes(h));
    for (let i = 0; i < 16; i++) {
      g1.push(seededEncoding(i, 48));
      g2.push(seededEncoding(i, 96));
    }
    for (const [i, bytes] of g1.entries()) {
      assert.equal(outcome(() => PublicKey.fromBytes(bytes)), outcome(() => decodeG1Compressed(bytes)), `G1 encoding ${i} ${bytesToHex(bytes)}, ${at}`);
    }
    for (const [i, bytes] of g2.entries()) {
      assert.equal(outcome(() => Signature.fromBytes(bytes)), outcome(() => decodeG2Compressed(bytes)), `G2 encoding ${i} ${bytesToHex(bytes)}, ${at}`);
    }
  });

  test("is refused without decoding it again in noble (counted through a module mock)", { skip: BLS_BACKEND !== "blst" }, () => {
    const count = (env: Record<string, string>) => {
      const run = spawnSync(process.execPath, [...process.execArgv, "--experimental-test-module-mocks", "--disable-warning=ExperimentalWarning", "test/support/noble-decodes.ts"], {
        env: { ...process.env, ...env },
        encoding: "utf8",
      });
      assert.equal(run.status, 0, run.stderr);
      return JSON.parse(run.stdout.trim().split("\n").at(-1)!) as { backend: string; nobleDecodes: number; codes: string[] };
    };
    const refusals = ["NOT_ON_CURVE", "NOT_IN_SUBGROUP", "NOT_ON_CURVE", "NOT_IN_SUBGROUP"];
    assert.deepEqual(count({}), { backend: "blst", nobleDecodes: 0, codes: refusals });
    // The same count on the noble backend shows the mock does see noble's decoder when it runs.
    assert.deepEqual(count({ HOTSTUFF_BLS: "noble" }), { backend: "noble", nobleDecodes: 4, codes: refusals });
  });
});

test("the crypto suite passes on the noble fallback too (HOTSTUFF_BLS=noble)", () => {
  const files = ["test/crypto/bls.test.ts", "test/crypto/points.test.ts", "test/crypto/quorum.test.ts"];
  const run = spawnSync(process.execPath, [...process.execArgv, "--test", "--test-reporter=dot", ...files], {
    env: { ...process.env, HOTSTUFF_BLS: "noble", TEST_SEED: String(seed) },
    encoding: "utf8",
  });
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
});
