/** eth_feeHistory's reward percentiles: tips weighted by the gas each transaction used, as geth does. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { rewards } from "../../src/rpc/methods/eth_feeHistory.ts";

test("a contract call's gas weighs in: the median tip is the call's, not the transfers'", () => {
  // Two transfers tipping 1 and 2 gwei (21,000 gas each) and one call tipping 3 gwei that used 500,000.
  const paid = [
    { tip: 2_000_000_000n, gas: 21_000n },
    { tip: 3_000_000_000n, gas: 500_000n },
    { tip: 1_000_000_000n, gas: 21_000n },
  ];
  assert.deepEqual(rewards(paid, [0, 5, 50, 100]), ["0x3b9aca00", "0x77359400", "0xb2d05e00", "0xb2d05e00"]);
});

test("a block without transactions rewards 0 at every percentile", () => {
  assert.deepEqual(rewards([], [25, 75]), ["0x0", "0x0"]);
});
