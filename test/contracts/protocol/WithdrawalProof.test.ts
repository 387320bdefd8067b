import assert from "node:assert/strict";
import { test } from "node:test";
import { withdrawalLeaf, withdrawalProof, withdrawalsRoot, type Withdrawal } from "../../../src/protocol/withdrawals.ts";
import { rng } from "../fixtures.ts";
import { harness, SEED } from "./harness.ts";

test(`withdrawal leaves and proofs agree for trees of 1 to 9 leaves (seed ${SEED})`, async () => {
  const r = rng(`${SEED}/3`);
  for (let size = 1; size <= 9; size++) {
    const withdrawals: Withdrawal[] = Array.from({ length: size }, (_, i) => ({
      blockNumber: 42n, index: BigInt(i), recipient: r.address(), amount: r.uint(96),
    }));
    const leaves = withdrawals.map(withdrawalLeaf);
    const root = withdrawalsRoot(leaves);
    for (const [i, w] of withdrawals.entries()) {
      const leaf = await harness.read.withdrawalLeaf([w.blockNumber, w.index, w.recipient, w.amount]);
      assert.equal(leaf, leaves[i]);
      assert.equal(await harness.read.rootFromProof([leaf, withdrawalProof(leaves, i)]), root, `leaf ${i} of ${size}`);
    }
  }
});
