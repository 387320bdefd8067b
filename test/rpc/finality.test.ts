/** rollup_getFinality's rule (src/rpc/methods/finality.ts) against a member's view, without a network. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Hex } from "viem";
import type { RpcContext } from "../../src/rpc/context.ts";
import { blockFinality } from "../../src/rpc/methods/finality.ts";

const h = (n: number): Hex => `0x${n.toString(16).padStart(64, "0")}`;
const tx = h(0xabc);

/** A member that committed blocks 1..`committed` (hash h(n)); L1 finalized up to `finalized`, settled by one batch. */
function member(committed: number, finalized: number, l1Hashes: (n: number) => Hex = h): RpcContext {
  return {
    finality: () => ({ number: BigInt(finalized), hash: l1Hashes(finalized), l1TxHash: tx, l1Block: 40n }),
    settlement: (n: bigint) => (n >= 1n && n <= BigInt(finalized) ? { hash: l1Hashes(Number(n)), l1TxHash: tx, l1Block: 40n } : undefined),
    blockByNumber: (n: bigint) => (n <= BigInt(committed) ? { hash: h(Number(n)) } : undefined),
  } as unknown as RpcContext;
}

test("a member behind L1's finalized head still reports its own blocks final, checked against L1's hash at their height", () => {
  assert.deepEqual(blockFinality(5n, h(5), member(6, 9)), { status: "finalized", block: { number: "0x5", hash: h(5) }, l1: { transactionHash: tx, blockNumber: "0x28" } });
});

test("a block L1 finalized with another hash is not reported final; one above L1's head is committed", () => {
  const fork = member(6, 9, (n) => h(1000 + n));
  assert.equal(blockFinality(5n, h(5), fork).status, "committed");
  assert.equal(blockFinality(7n, h(7), member(9, 6)).status, "committed");
});
