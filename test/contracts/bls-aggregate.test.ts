/**
 * Aggregation on-chain: quorum-sized aggregates verify with one pairing, a missing signer breaks
 * them, G1 arithmetic matches TypeScript, and the rogue-key attack that same-message aggregation
 * invites is stopped by the proof of possession, on both sides.
 */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { network } from "hardhat";
import type { Hex } from "viem";
import {
  aggregatePublicKeys,
  aggregateSignatures,
  POP_DST,
  PublicKey,
  Signature,
  SIGNATURE_DST,
  verifyAggregate,
  verifyPossession,
} from "../../src/crypto/index.ts";
import { popDigest } from "../../src/protocol/digests.ts";
import { committee } from "../fixtures/keys.ts";
import { FIELD_MODULUS, g1OffCurve, rogueKey, withCoordinate } from "../fixtures/points.ts";
import { seededDigest, testSeed } from "../fixtures/random.ts";

const { viem } = await network.create();
const seed = testSeed();
const at = `TEST_SEED=${seed}`;
const digest = seededDigest(seed, 0);
const members = committee(128, "aggregate");
const pks = members.map((m) => m.publicKey);
const pkHex = pks.map((k) => k.toEip2537());
const sigs = members.map((m) => m.sign(digest));
const INFINITY: Hex = `0x${"00".repeat(128)}`;

let bls: Awaited<ReturnType<typeof viem.deployContract<"BLSHarness">>>;
before(async () => {
  bls = await viem.deployContract("BLSHarness", []);
});

describe("aggregate signatures of k signers", () => {
  for (const k of [1, 3, 4, 16, 64, 128]) {
    test(`k = ${k}: verifies on both sides; without one signer's key it does not`, async () => {
      const agg = aggregateSignatures(sigs.slice(0, k));
      assert.equal(await bls.read.verifyAggregate([pkHex.slice(0, k), digest, agg.toEip2537()]), true, `${at} k=${k}`);
      assert.equal(verifyAggregate(pks.slice(0, k), digest, agg), true, `${at} k=${k}`);
      if (k > 1) {
        assert.equal(await bls.read.verifyAggregate([pkHex.slice(1, k), digest, agg.toEip2537()]), false, `${at} k=${k}`);
        assert.equal(verifyAggregate(pks.slice(1, k), digest, agg), false, `${at} k=${k}`);
      }
    });
  }

  test("an aggregate of nobody is refused", async () => {
    await viem.assertions.revertWithCustomError(bls.read.verifyAggregate([[], digest, sigs[0]!.toEip2537()]), bls, "EmptyAggregate");
  });
});

describe("G1 arithmetic matches TypeScript", () => {
  test("aggregateG1 and addG1 equal the TypeScript sums", async () => {
    assert.equal(await bls.read.aggregateG1([pkHex.slice(0, 5)]), aggregatePublicKeys(pks.slice(0, 5)).toEip2537());
    assert.equal(await bls.read.aggregateG1([[pkHex[7]!]]), pkHex[7]);
    assert.equal(await bls.read.addG1([pkHex[0]!, pkHex[1]!]), aggregatePublicKeys(pks.slice(0, 2)).toEip2537());
  });

  test("removing a non-signer: aggregate + (-pk) equals the aggregate of the others", async () => {
    const all = aggregatePublicKeys(pks.slice(0, 4)).toEip2537();
    const withoutTwo = await bls.read.addG1([all, await bls.read.negateG1([pkHex[2]!])]);
    assert.equal(withoutTwo, aggregatePublicKeys([pks[0]!, pks[1]!, pks[3]!]).toEip2537());
  });

  test("negateG1: -(-p) = p, p + (-p) = infinity, -infinity = infinity", async () => {
    const neg = await bls.read.negateG1([pkHex[0]!]);
    assert.notEqual(neg, pkHex[0]);
    assert.equal(await bls.read.negateG1([neg]), pkHex[0]);
    assert.equal(await bls.read.addG1([pkHex[0]!, neg]), INFINITY);
    assert.equal(await bls.read.negateG1([INFINITY]), INFINITY);
  });

  test("malformed inputs are refused with custom errors", async () => {
    const short: Hex = `0x${pkHex[0]!.slice(2, 2 + 252)}`;
    await viem.assertions.revertWithCustomErrorWithArgs(bls.read.addG1([pkHex[0]!, short]), bls, "InvalidPointLength", [126n]);
    await viem.assertions.revertWithCustomErrorWithArgs(bls.read.aggregateG1([[pkHex[0]!, short]]), bls, "InvalidPointLength", [126n]);
    await viem.assertions.revertWithCustomErrorWithArgs(bls.read.aggregateG1([[short, pkHex[0]!]]), bls, "InvalidPointLength", [126n]);
    await viem.assertions.revertWithCustomErrorWithArgs(bls.read.negateG1([short]), bls, "InvalidPointLength", [126n]);
    await viem.assertions.revertWithCustomError(bls.read.negateG1([withCoordinate(pkHex[0]!, 1, FIELD_MODULUS)]), bls, "FieldElementNotInRange");
    await viem.assertions.revertWithCustomError(bls.read.addG1([pkHex[0]!, g1OffCurve(pkHex[1]!)]), bls, "PointNotOnCurveOrSubgroup");
    await viem.assertions.revertWithCustomError(bls.read.aggregateG1([[pkHex[0]!, g1OffCurve(pkHex[1]!)]]), bls, "PointNotOnCurveOrSubgroup");
    await viem.assertions.revertWithCustomError(bls.read.aggregateG1([[]]), bls, "EmptyAggregate");
  });
});

describe("rogue keys", () => {
  const chainId = 31337n;
  const registry: Hex = "0x00000000000000000000000000000000c0ffee00";
  const operator: Hex = "0x0000000000000000000000000000000000000a11";
  const honest = members.slice(0, 3);
  const x = 0x1234567890abcdefn;
  const rogue = rogueKey(honest.map((m) => m.publicKey.toBytes()), x);
  const roguePk = PublicKey.fromBytes(rogue.compressed);
  const honestPlusRogue = [...honest.map((m) => m.publicKey.toEip2537()), rogue.eip2537];

  test("without possession checks, a rogue key forges the whole aggregate (the attack is real)", async () => {
    const forged = rogue.sign(Buffer.from(digest.slice(2), "hex"), SIGNATURE_DST);
    assert.equal(await bls.read.verifyAggregate([honestPlusRogue, digest, forged.eip2537]), true);
    assert.equal(verifyAggregate([...honest.map((m) => m.publicKey), roguePk], digest, Signature.fromBytes(forged.compressed)), true);
  });

  test("honest members' proofs of possession pass on both sides", async () => {
    for (const m of honest) {
      const d = popDigest(chainId, registry, operator, m.publicKey.toEip2537());
      const proof = m.signPossession(d);
      assert.equal(verifyPossession(m.publicKey, d, proof), true);
      assert.equal(await bls.read.verifyPossession([m.publicKey.toEip2537(), d, proof.toEip2537()]), true);
    }
  });

  test("the rogue key has no valid proof of possession: refused on both sides", async () => {
    const d = popDigest(chainId, registry, operator, rogue.eip2537);
    const dBytes = Buffer.from(d.slice(2), "hex");
    // Attempt 1: sign the rogue key's own PoP digest with x (the secret of the aggregate, not of the key).
    const withX = rogue.sign(dBytes, POP_DST);
    // Attempt 2: the aggregate trick again, x·H(d) − Σ honest proofs. Fails because each honest
    // proof commits to its own key's digest, not to d.
    const honestProofs = honest.map((m) => m.signPossession(popDigest(chainId, registry, operator, m.publicKey.toEip2537())));
    const honestSum = aggregateSignatures(honestProofs).point;
    const trick = Signature.fromPoint(Signature.fromBytes(withX.compressed).point.subtract(honestSum));
    for (const proof of [Signature.fromBytes(withX.compressed), trick]) {
      assert.equal(verifyPossession(roguePk, d, proof), false);
      assert.equal(await bls.read.verifyPossession([rogue.eip2537, d, proof.toEip2537()]), false);
    }
  });
});
