import assert from "node:assert/strict";
import { test } from "node:test";
import { countSigners, indicesFromBitmap } from "../../../src/crypto/index.ts";
import { rng } from "../fixtures.ts";
import { harness, SEED } from "../protocol/harness.ts";

test(`popcount, lowest and highest bit agree with src/crypto for edge and random bitmaps (seed ${SEED})`, async () => {
  const r = rng(`${SEED}/4`);
  const max = (1n << 256n) - 1n;
  const cases = [1n, 2n, 1n << 255n, max, max - 1n, max >> 1n, (1n << 128n) - 1n, ...Array.from({ length: 20 }, () => r.uint(256) | 1n << r.uint(8))];
  for (const x of cases) {
    const indices = indicesFromBitmap(x);
    assert.deepEqual(await harness.read.bits([x]), [BigInt(countSigners(x)), BigInt(indices[0]!), BigInt(indices[indices.length - 1]!)], `0x${x.toString(16)}`);
  }
});
