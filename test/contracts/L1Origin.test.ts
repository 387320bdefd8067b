/**
 * Headers bind the l1Origin block's hash, and L1 checks it (Rollup.settle, with `blockhash`):
 * an L2 chain built on an L1 block that a reorg replaced does not settle. `blockhash` knows the
 * last 256 blocks only; older origins settle unchecked (the decision documented in Rollup.sol).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { network } from "hardhat";
import { keccak256, toHex, zeroHash } from "viem";
import { deploySystem } from "./fixtures.ts";

const { viem, networkHelpers } = await network.create();

describe("an L1 reorg of the l1Origin block makes a settle revert", () => {
  test("headers built on an L1 block a reorg replaced are refused; rebuilt on the block that replaced it, they settle", async () => {
    const { rollup, chain, keys, publicClient } = await deploySystem(viem, { n: 4 });
    // The committee reads L1 block `origin` ...
    const beforeReorg = await networkHelpers.takeSnapshot();
    await networkHelpers.mine(1);
    const origin = await publicClient.getBlockNumber();
    const orphaned = (await publicClient.getBlock({ blockNumber: origin })).hash;
    // ... and L1 reorganises: another block (here: another timestamp) takes its height.
    await beforeReorg.restore();
    await networkHelpers.time.increase(7);
    assert.equal(await publicClient.getBlockNumber(), origin);
    const canonical = (await publicClient.getBlock({ blockNumber: origin })).hash;
    assert.notEqual(orphaned, canonical);
    await networkHelpers.mine(1);

    chain.extend({ l1Origin: origin, l1OriginHash: orphaned });
    chain.extend({ l1Origin: origin, l1OriginHash: orphaned });
    await viem.assertions.revertWithCustomErrorWithArgs(
      rollup.write.settle(chain.settleArgs(keys, 1, 1)),
      rollup,
      "L1OriginHashMismatch",
      [1n, origin, canonical, orphaned],
    );

    chain.headers.splice(1);
    chain.hashes.splice(1);
    chain.data.splice(1);
    chain.extend({ l1Origin: origin, l1OriginHash: canonical });
    chain.extend({ l1Origin: origin, l1OriginHash: canonical });
    await viem.assertions.emitWithArgs(rollup.write.settle(chain.settleArgs(keys, 1, 1)), rollup, "BatchSettled", [1n, 1n, 1n]);
  });
});

describe("the l1Origin hash check and L1's 256-block blockhash window", () => {
  test("an origin at the settling block itself is refused: its hash is not known yet", async () => {
    const { rollup, chain, keys, publicClient } = await deploySystem(viem, { n: 4 });
    const next = (await publicClient.getBlockNumber()) + 1n;
    chain.extend({ l1Origin: next, l1OriginHash: zeroHash });
    chain.extend();
    await viem.assertions.revertWithCustomErrorWithArgs(rollup.write.settle(chain.settleArgs(keys, 1, 1)), rollup, "L1OriginInFuture", [1n, next, next]);
  });

  test("checked up to 256 blocks back; an origin older than that settles unchecked (far below L1 finality)", async () => {
    const { rollup, chain, keys, publicClient } = await deploySystem(viem, { n: 4 });
    const origin = await publicClient.getBlockNumber();
    const wrong = keccak256(toHex("a hash from another L1 history"));
    chain.extend({ l1Origin: origin, l1OriginHash: wrong });
    chain.extend();
    const window = await networkHelpers.takeSnapshot();
    // Settled in block origin + 256: blockhash(origin) is still known, and the hash is wrong.
    await networkHelpers.mine(255);
    const { hash: expected } = await publicClient.getBlock({ blockNumber: origin });
    await viem.assertions.revertWithCustomErrorWithArgs(rollup.write.settle(chain.settleArgs(keys, 1, 1)), rollup, "L1OriginHashMismatch", [1n, origin, expected, wrong]);
    // Settled in block origin + 257: L1 no longer knows the hash; the header settles unchecked.
    await window.restore();
    await networkHelpers.mine(256);
    const hash = await rollup.write.settle(chain.settleArgs(keys, 1, 1));
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    assert.equal(receipt.blockNumber, origin + 257n);
    assert.deepEqual(await rollup.read.finalizedHead(), [1n, chain.hashes[1]]);
  });
});
