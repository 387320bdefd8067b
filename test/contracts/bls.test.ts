/**
 * The Solidity BLS library (contracts/bls) against the TypeScript one (src/crypto), on Hardhat's
 * simulated Prague network with the real EIP-2537 precompiles: the same hash to G2, the same
 * verdicts on signatures, and every malformed input refused with its custom error.
 */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { network } from "hardhat";
import { decodeErrorResult, decodeFunctionResult, encodeFunctionData, stringToHex, toHex, type Hex } from "viem";
import { hashToG2Eip2537, POP_DST, SIGNATURE_DST, verify } from "../../src/crypto/index.ts";
import { keys } from "../fixtures/keys.ts";
import {
  FIELD_MODULUS,
  g1Eip2537,
  g1OffCurve,
  g1OutsideSubgroup,
  g2Eip2537,
  g2OffCurve,
  g2OutsideSubgroup,
  g2ShiftedByGenerator,
  withCoordinate,
  withDirtyPadding,
} from "../fixtures/points.ts";
import { seededBytes, seededDigest, testSeed } from "../fixtures/random.ts";
import { expectedEip2537, RFC9380_G2 } from "../fixtures/vectors.ts";

const { viem } = await network.create();
const seed = testSeed();
const at = `TEST_SEED=${seed}`;

const sk = keys("contract-signer");
const pk = sk.publicKey.toEip2537();
const digest = seededDigest(seed, 0);
const sig = sk.sign(digest).toEip2537();
const pop = sk.signPossession(digest).toEip2537();

let bls: Awaited<ReturnType<typeof viem.deployContract<"BLSHarness">>>;
before(async () => {
  bls = await viem.deployContract("BLSHarness", []);
});

describe("hashToG2 agrees with RFC 9380 and @noble/curves", () => {
  for (const v of RFC9380_G2.vectors) {
    test(`RFC 9380 J.10.1 vector, msg of ${v.msg.length} bytes`, async () => {
      const got = await bls.read.hashToG2([stringToHex(v.msg), stringToHex(RFC9380_G2.dst)]);
      assert.equal(got, expectedEip2537(v.P));
    });
  }

  test("50 random digests hash to the same point on both sides (signature DST)", async () => {
    for (let i = 0; i < 50; i++) {
      const d = seededDigest(seed, 100 + i);
      const got = await bls.read.hashToG2([d, stringToHex(SIGNATURE_DST)]);
      assert.equal(got, hashToG2Eip2537(Buffer.from(d.slice(2), "hex"), SIGNATURE_DST), `${at} digest #${i} ${d}`);
    }
  });

  test("random messages of random length, under the PoP DST and a 255-byte DST", async () => {
    const longDst = seededBytes(seed, "dst", 255);
    for (let i = 0; i < 10; i++) {
      const lengthByte = seededBytes(seed, `len/${i}`, 2);
      const msg = seededBytes(seed, `msg/${i}`, ((lengthByte[0]! << 8) | lengthByte[1]!) % 600);
      const dst = i % 2 === 0 ? new TextEncoder().encode(POP_DST) : longDst;
      const got = await bls.read.hashToG2([toHex(msg), toHex(dst)]);
      assert.equal(got, hashToG2Eip2537(msg, dst), `${at} message #${i} of ${msg.length} bytes`);
    }
  });

  test("starved of gas, hashToG2 never returns a wrong point: it fails with PrecompileFailed or out of gas", async () => {
    // A precompile that runs out of gas fails like one given bad input; the library must turn
    // that into a revert, never into a point built from stale memory.
    const d = seededDigest(seed, 300);
    const expected = hashToG2Eip2537(Buffer.from(d.slice(2), "hex"), SIGNATURE_DST);
    const publicClient = await viem.getPublicClient();
    const data = encodeFunctionData({ abi: bls.abi, functionName: "hashToG2", args: [d, stringToHex(SIGNATURE_DST)] });
    const outcomes = new Set<string>();
    for (let gas = 40_000n; gas <= 80_000n; gas += 1_000n) {
      let result: Hex | undefined;
      try {
        result = (await publicClient.call({ to: bls.address, data, gas })).data;
      } catch (e) {
        outcomes.add(describeRevert(e));
        continue;
      }
      assert.equal(decodeFunctionResult({ abi: bls.abi, functionName: "hashToG2", data: result! }), expected, `gas ${gas}`);
      outcomes.add("ok");
    }
    assert.deepEqual([...outcomes].sort(), ["PrecompileFailed(0x0000000000000000000000000000000000000011)", "ok", "out of gas"]);
  });

  test("refuses an empty or over-long DST", async () => {
    await viem.assertions.revertWithCustomErrorWithArgs(bls.read.hashToG2(["0x", "0x"]), bls, "InvalidDomainSeparationTag", [0n]);
    const tooLong = toHex(new Uint8Array(256).fill(0x41));
    await viem.assertions.revertWithCustomErrorWithArgs(bls.read.hashToG2(["0x", tooLong]), bls, "InvalidDomainSeparationTag", [256n]);
  });
});

describe("verify and verifyPossession agree with TypeScript", () => {
  test("a TypeScript signature verifies on-chain", async () => {
    assert.equal(await bls.read.verify([pk, digest, sig]), true, at);
    assert.equal(await bls.read.verifyPossession([pk, digest, pop]), true, at);
  });

  test("signatures from many keys over many digests verify on-chain", async () => {
    for (let i = 0; i < 5; i++) {
      const signer = keys(`contract-many-${i}`);
      const d = seededDigest(seed, 200 + i);
      const s = signer.sign(d).toEip2537();
      assert.equal(await bls.read.verify([signer.publicKey.toEip2537(), d, s]), true, `${at} signer ${i}`);
    }
  });

  test("refused on both sides: wrong key", async () => {
    const other = keys("contract-other").publicKey;
    assert.equal(await bls.read.verify([other.toEip2537(), digest, sig]), false, at);
    assert.equal(verify(other, digest, sk.sign(digest)), false, at);
  });

  test("refused on both sides: wrong digest", async () => {
    const wrong = seededDigest(seed, 1);
    assert.equal(await bls.read.verify([pk, wrong, sig]), false, at);
    assert.equal(verify(sk.publicKey, wrong, sk.sign(digest)), false, at);
  });

  test("refused: wrong DST, in both directions", async () => {
    assert.equal(await bls.read.verify([pk, digest, pop]), false, at);
    assert.equal(await bls.read.verifyPossession([pk, digest, sig]), false, at);
  });

  test("refused: a tampered signature that is still a valid point (sig + G2)", async () => {
    assert.equal(await bls.read.verify([pk, digest, g2ShiftedByGenerator(sig)]), false, at);
  });

  test("refused: a tampered signature that falls off the curve", async () => {
    await viem.assertions.revertWithCustomError(bls.read.verify([pk, digest, g2OffCurve(sig)]), bls, "PointNotOnCurveOrSubgroup");
  });
});

/** "Name(args)" of the custom error a failed call reverted with, or "out of gas" if it carried no data. */
function describeRevert(e: unknown): string {
  let raw: unknown;
  for (let c: unknown = e; c !== undefined && c !== null && raw === undefined; c = (c as { cause?: unknown }).cause) {
    const d = (c as { data?: unknown }).data;
    if (typeof d === "string" && d.startsWith("0x") && d.length > 2) raw = d;
  }
  if (raw === undefined) return "out of gas";
  const { errorName, args } = decodeErrorResult({ abi: bls.abi, data: raw as Hex });
  return `${errorName}(${String(args ?? "")})`;
}

/** Malformed inputs, each with the custom error the library promises for it. */
function g1Refusals(): [string, Hex, string, readonly unknown[]][] {
  const { x, y } = g1OutsideSubgroup();
  return [
    ["127 bytes", `0x${pk.slice(2, 2 + 254)}`, "InvalidPointLength", [127n]],
    ["x = p", withCoordinate(pk, 0, FIELD_MODULUS), "FieldElementNotInRange", []],
    ["y = p + 1", withCoordinate(pk, 1, FIELD_MODULUS + 1n), "FieldElementNotInRange", []],
    ["dirty padding", withDirtyPadding(pk, 0), "FieldElementNotInRange", []],
    ["infinity", g1Eip2537(0n, 0n), "PointAtInfinity", []],
    ["off the curve", g1OffCurve(pk), "PointNotOnCurveOrSubgroup", []],
    ["outside the subgroup", g1Eip2537(x, y), "PointNotOnCurveOrSubgroup", []],
  ];
}

function g2Refusals(): [string, Hex, string, readonly unknown[]][] {
  const { x, y } = g2OutsideSubgroup();
  return [
    ["255 bytes", `0x${sig.slice(2, 2 + 510)}`, "InvalidPointLength", [255n]],
    ["x.c1 = p", withCoordinate(sig, 1, FIELD_MODULUS), "FieldElementNotInRange", []],
    ["y.c0 = p", withCoordinate(sig, 2, FIELD_MODULUS), "FieldElementNotInRange", []],
    ["dirty padding in y.c1", withDirtyPadding(sig, 3), "FieldElementNotInRange", []],
    ["infinity", `0x${"00".repeat(256)}`, "PointAtInfinity", []],
    ["off the curve", g2OffCurve(sig), "PointNotOnCurveOrSubgroup", []],
    ["outside the subgroup", g2Eip2537(x, y), "PointNotOnCurveOrSubgroup", []],
  ];
}

describe("malformed public keys are refused with custom errors", () => {
  for (const [name, bad, error, args] of g1Refusals()) {
    test(`${name}: verify, verifyPossession and validateG1 revert with ${error}`, async () => {
      const calls = [bls.read.verify([bad, digest, sig]), bls.read.verifyPossession([bad, digest, pop]), bls.read.validateG1([bad])];
      for (const call of calls) {
        // @ts-expect-error the error name and its arguments are checked at run time
        await viem.assertions.revertWithCustomErrorWithArgs(call, bls, error, args);
      }
    });
  }

  test("validateG1 accepts a real key", async () => {
    await bls.read.validateG1([pk]);
  });
});

describe("malformed signatures are refused with custom errors", () => {
  for (const [name, bad, error, args] of g2Refusals()) {
    test(`${name}: verify and validateG2 revert with ${error}`, async () => {
      for (const call of [bls.read.verify([pk, digest, bad]), bls.read.validateG2([bad])]) {
        // @ts-expect-error the error name and its arguments are checked at run time
        await viem.assertions.revertWithCustomErrorWithArgs(call, bls, error, args);
      }
    });
  }

  test("validateG2 accepts a real signature", async () => {
    await bls.read.validateG2([sig]);
  });
});
